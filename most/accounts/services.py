"""Changes to users and memberships, to how they sign in, and the Django admin's changes."""

import datetime
import decimal
import math
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from most.audit.models import AuditAction
from most.audit.services import audit_member, audit_record
from most.lib.errors import NotAllowed
from most.lib.text import hidden_characters

from .models import Membership, Organisation, Role, User
from .policy import (
    can_manage_members,
    can_reset_two_factor,
    can_revoke_api_token,
    can_turn_off_two_factor,
    can_use_admin,
    membership_for,
    two_factor_enabled,
)


def hidden_characters_error(value, *, email=False):
    """The message for a name or an address holding characters nobody can see, or None.

    Every service that takes names asks it (persons and households too), so the message is
    one; most.lib.text says which characters and why.
    """
    if found := hidden_characters(value or "", joiners=not email):
        return _(
            "This text holds invisible or control characters (%(characters)s), often brought "
            "along by copying. Remove them, or type the text again."
        ) % {"characters": ", ".join(found)}
    return None


def member_add(*, member, email, full_name, role, request=None) -> Membership:
    """Give a user a role in the member's organisation, creating the account when it is new.

    The person is told by e-mail: a new account gets a link to choose a password, an existing
    one the news that it may now work for the organisation. The administrator sees the same
    either way, so adding a member never tells whether the address had an account in Most
    (with another organisation, perhaps one that helps people in hiding).
    """
    if not can_manage_members(member, member.organisation):
        raise NotAllowed(_("You may not manage the members of this organisation."))
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if role not in Role.values:
        errors["role"] = _("Choose a role from the list.")
    if not full_name:
        errors["full_name"] = _("Enter the person's full name.")
    # The address validator lets some through (in a domain name, in a quoted local part), and
    # an address that differs from an account's by one of them would be a second account that
    # looks exactly like the first.
    if message := hidden_characters_error(email, email=True):
        errors["email"] = message
    if message := hidden_characters_error(full_name):
        errors["full_name"] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        new = user is None
        if new:
            # A password nobody knows: the invitation's link sets the real one, and "forgot
            # your password" still works if the link expired.
            user = User.objects.create_user(
                email=email, password=secrets.token_urlsafe(32), full_name=full_name
            )
        elif Membership.objects.filter(user=user, organisation=member.organisation).exists():
            raise ValidationError(
                {
                    "email": _("%(email)s is already a member of this organisation.")
                    % {"email": email}
                }
            )
        membership = Membership.objects.create(
            user=user, organisation=member.organisation, role=role
        )
        audit_member(
            member,
            AuditAction.CREATE,
            membership,
            changes={"user": [None, email], "role": [None, role]},
            request=request,
        )
        transaction.on_commit(lambda: _tell_new_member(membership, new))
    return membership


def _tell_new_member(membership, new_account):
    """The e-mail to a new member: how to choose a password, or where they now work."""
    user = membership.user
    context = {
        "user": user,
        "organisation": membership.organisation,
        "role": membership.get_role_display(),
        "site": settings.SITE_URL,
        "link": settings.SITE_URL + password_link(user) if new_account else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You can now work in Most for %(organisation)s") % {
            "organisation": membership.organisation.name
        }
        body = render_to_string("accounts/email/member_added.txt", context)
    send_mail(subject, body, None, [user.email])


def password_link(user) -> str:
    """The path of the page where the user chooses a new password (valid for a few days)."""
    return reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def member_end(*, member, membership, request=None):
    """End a membership (the user keeps any other ones); a user cannot end their own."""
    if not can_manage_members(member, membership.organisation):
        raise NotAllowed(_("You may not manage the members of this organisation."))
    if membership.pk == member.pk:
        raise ValidationError(_("You cannot end your own membership."))
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
        audit_member(
            member,
            AuditAction.UPDATE,
            membership,
            subject_organisation=membership.organisation,
            changes={"is_active": [True, False]},
            request=request,
        )


# --- Two-factor sign-in -------------------------------------------------------------------
# An authenticator app (a TOTP device) and ten backup codes (a static device, each code used
# once). Entries say what changed ("two_factor": off → on), never a secret or a code.

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
BACKUP_DEVICE_NAME = "backup"


def _audit_own(user, member, action, changes, request):
    """An entry for a change to one's own sign-in, under the organisation one works for (a
    platform administrator may work for none)."""
    member = member or membership_for(user)
    if member is not None:
        return audit_member(member, action, user, changes=changes, request=request)
    return audit_record(
        actor=user, action=action, organisation=None, obj=user, changes=changes, request=request
    )


def _refuse_while_throttled(devices):
    """After a wrong code a device takes the next one only after a wait, doubling with every
    further wrong one (django-otp's throttling): say how long, rather than "wrong code"."""
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            until = (details or {}).get("locked_until") or timezone.now()
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            raise ValidationError(
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second, then try again.",
                    "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
                    seconds,
                )
                % {"seconds": seconds},
                code="throttled",
            )


def _check_code(user, device, code):
    """The device, if it takes the code (else None). Checked in a transaction of its own
    (verify_token's), not in one the caller rolls back: a wrong code's count must be kept."""
    return verify_token(user, device.persistent_id, code)


def _backup_digest(user, code, secret=None) -> str:
    """What is kept of a backup code: a digest keyed with the site's secret key (HMAC-SHA256,
    the 16 hex digits a static token holds), so that a copy of the database signs nobody in."""
    return salted_hmac(
        "most.backup-code", f"{user.pk}:{code}", secret=secret, algorithm="sha256"
    ).hexdigest()[:16]


def _check_backup_code(user, device, code):
    """The device, if one of the user's backup codes is `code` (used up then), else None. Codes
    made under a former secret key (SECRET_KEY_FALLBACKS) still count."""
    secrets_accepted = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    digests = [_backup_digest(user, code, secret) for secret in secrets_accepted]
    kept = StaticToken.objects.filter(device=device, token__in=digests).values_list(
        "token", flat=True
    )
    # A wrong code is checked too, so that it counts towards the wait after wrong codes.
    return _check_code(user, device, kept.first() or digests[0])


def _new_backup_codes(user) -> list[str]:
    """Ten new backup codes in place of any old ones (which stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_backup_digest(user, code)) for code in codes]
    )
    return codes


def _remove_second_factor(user) -> bool:
    """Delete the user's app and backup codes; whether the app had been set up."""
    had = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


def two_factor_setup(*, user, member=None, request=None) -> TOTPDevice:
    """The authenticator app being set up: a device not confirmed yet, the same one until it is
    (the QR code stays the same when the page is opened again)."""
    if two_factor_enabled(user):
        raise ValidationError(_("Two-factor sign-in is already on."))
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
            _audit_own(user, member, AuditAction.UPDATE, {"two_factor": ["off", "set-up"]}, request)
    return device


def two_factor_confirm(*, user, device, code, member=None, request=None):
    """Turn two-factor sign-in on once the first code from the app checks: the device is
    confirmed, any other is removed, and ten backup codes are made.

    Returns (device, codes): the codes are shown once and never again (Most keeps them only to
    check them).
    """
    if device.user_id != user.pk or device.confirmed:
        raise NotAllowed(_("This is not a set-up in progress."))
    _refuse_while_throttled([device])
    verified = _check_code(user, device, code)
    if verified is None:
        raise ValidationError(
            _("This code is not right. Enter the code the app shows now."), code="wrong"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=verified.pk).delete()
        TOTPDevice.objects.filter(pk=verified.pk).update(confirmed=True)
        verified.confirmed = True
        codes = _new_backup_codes(user)
        _audit_own(user, member, AuditAction.UPDATE, {"two_factor": ["off", "on"]}, request)
    return verified, codes


def two_factor_verify(*, user, code, request=None):
    """The second step of signing in: the device that takes the code, a code from the app or
    a backup code (which is used up); a ValidationError with the reason otherwise."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    devices = [device for device in (app, backup) if device is not None]
    # Wrong codes slow down both: otherwise one could go on guessing on the other.
    _refuse_while_throttled(devices)
    code = "".join((code or "").split()).lower()
    # The app's codes are digits only and shorter than a backup code (eight letters and digits).
    is_app_code = app is not None and code.isdigit() and len(code) == app.digits
    if is_app_code:
        verified = _check_code(user, app, code)
    elif backup is not None:
        verified = _check_backup_code(user, backup, code)
    else:
        verified = None
    if verified is None:
        _audit_own(user, None, AuditAction.LOGIN_REFUSED, {"second_factor": "wrong code"}, request)
        raise ValidationError(
            _(
                "This code is not right. Enter the code your app shows now, or one of your "
                "backup codes that you have not used yet."
            ),
            code="wrong",
        )
    if isinstance(verified, StaticDevice):
        left = StaticToken.objects.filter(device=verified).count()
        changes = {"second_factor": "backup code", "backup_codes": [left + 1, left]}
    else:
        changes = {"second_factor": "app"}
    _audit_own(user, None, AuditAction.LOGIN, changes, request)
    return verified


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def two_factor_backup_codes_renew(*, user, member=None, request=None) -> list[str]:
    """Ten new backup codes; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Turn two-factor sign-in on first."))
    with transaction.atomic():
        before = backup_codes_left(user)
        codes = _new_backup_codes(user)
        _audit_own(
            user, member, AuditAction.UPDATE, {"backup_codes": [before, len(codes)]}, request
        )
    return codes


def two_factor_turn_off(*, user, member=None, request=None):
    """Sign in with the password alone again, where neither role nor organisation requires
    the second factor."""
    if not can_turn_off_two_factor(user):
        raise ValidationError(
            _(
                "Your role or your organisation requires two-factor sign-in, so it cannot be "
                "turned off."
            )
        )
    with transaction.atomic():
        if not _remove_second_factor(user):
            raise ValidationError(_("Two-factor sign-in is not on."))
        _audit_own(user, member, AuditAction.UPDATE, {"two_factor": ["on", "off"]}, request)


def two_factor_reset(*, member, membership, request=None):
    """A member lost their phone: their administrator removes their app and backup codes, and
    they set up a new app at their next sign-in (where it is required; otherwise when they
    choose). The second factor is the user's, so this holds in their other organisations too."""
    if not can_manage_members(member, membership.organisation):
        raise NotAllowed(_("You may not manage the members of this organisation."))
    if not can_reset_two_factor(member, membership):
        raise ValidationError(
            _("Your own second factor is on your two-factor sign-in page, not here.")
        )
    with transaction.atomic():
        if not _remove_second_factor(membership.user):
            raise ValidationError(
                _("%(user)s has not set up two-factor sign-in.") % {"user": membership.user}
            )
        audit_member(
            member,
            AuditAction.UPDATE,
            membership.user,
            subject_organisation=membership.organisation,
            changes={"two_factor": ["on", "off"]},
            request=request,
        )


# --- API tokens ----------------------------------------------------------------------------
# The key is the secret: an entry names the user whose token it is, never the key (DRF's
# token has the key for its primary key, so it is never the entry's object).


def api_token_create(*, member, request=None) -> Token:
    """A new API token for the member's user, in place of the old one, which stops working at
    once. The key is shown once, right after."""
    if member is None or not member.is_active:
        raise NotAllowed(_("You do not work for any organisation in Most."))
    with transaction.atomic():
        had, _deleted = Token.objects.filter(user=member.user).delete()
        token = Token.objects.create(user=member.user)
        audit_member(
            member,
            AuditAction.UPDATE if had else AuditAction.CREATE,
            member.user,
            changes={"api_token": ["old" if had else "none", "new"]},
            request=request,
        )
    return token


def api_token_revoke(*, member, membership, request=None):
    """The administrator takes a member's API token away (a key that leaked, a member who
    leaves); programs using it get 401 at once."""
    if not can_revoke_api_token(member, membership):
        raise NotAllowed(_("You may not manage the members of this organisation."))
    with transaction.atomic():
        deleted, _deleted = Token.objects.filter(user=membership.user_id).delete()
        if not deleted:
            raise ValidationError(_("%(user)s has no API token.") % {"user": membership.user})
        audit_member(
            member,
            AuditAction.UPDATE,
            membership.user,
            subject_organisation=membership.organisation,
            changes={"api_token": ["old", "none"]},
            request=request,
        )


def two_factor_roles_set(*, member, roles, request=None):
    """The administrator asks a second factor of the organisation's members in these roles
    (administrators may need one anyway: TWO_FACTOR_REQUIRED_FOR_ADMINS). Members without one
    are asked to set it up at their next page."""
    if not can_manage_members(member, member.organisation):
        raise NotAllowed(_("You may not manage the members of this organisation."))
    if not set(roles) <= set(Role.values):
        raise ValidationError({"roles": _("Choose roles from the list.")})
    roles = [role for role in Role.values if role in roles]  # in the table's order
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=member.organisation_id)
        if organisation.two_factor_roles == roles:
            return
        Organisation.objects.filter(pk=organisation.pk).update(two_factor_roles=roles)
        audit_member(
            member,
            AuditAction.UPDATE,
            organisation,
            subject_organisation=organisation,
            changes={"two_factor_roles": [organisation.two_factor_roles, roles]},
            request=request,
        )
    member.organisation.two_factor_roles = roles


# --- The Django admin ----------------------------------------------------------------------
# The admin saves and deletes in its own way (forms, inlines, the password page); these wrap
# that write in a transaction with an entry of every field it changed, before and after. A
# secret (a password hash) is recorded as "changed", never by value. The entry goes to the
# organisation concerned (a membership's, the organisation itself), so that organisation's
# data protection contact sees what a platform administrator did to it.


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _admin_changes(before, after, secret_fields) -> dict:
    """{field: [before, after]} for every field that differs (a None object: none yet, or no
    more); {secret: "changed"}."""
    model = type(after if after is not None else before)
    changes = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        old = field.value_from_object(before) if before is not None else None
        new = field.value_from_object(after) if after is not None else None
        if old == new:
            continue
        if field.name in secret_fields:
            if after is not None:
                changes[field.name] = "changed"
        else:
            changes[field.name] = [_plain(old), _plain(new)]
    return changes


def _admin_entry(user, action, obj, changes, request):
    if isinstance(obj, Organisation):
        # An entry cannot point at an organisation being deleted (models.PROTECT).
        organisation = None if action == AuditAction.DELETE else obj
    else:
        organisation = getattr(obj, "organisation", None)
    audit_record(
        actor=user,
        action=action,
        organisation=organisation,
        obj=obj,
        changes=changes,
        request=request,
    )


def _stored(obj):
    """The object as it is in the database now (None if it is not there)."""
    if obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def _must_use_admin(user):
    if not can_use_admin(user):
        raise NotAllowed(_("You may not use the Django admin."))


def admin_save(*, user, obj, save, secret_fields=(), request=None):
    """Save `obj` as the admin does (`save()`, its own way: a form, the password page), with an
    entry of what changed; no entry if nothing did. Returns what save() returned."""
    _must_use_admin(user)
    with transaction.atomic():
        before = _stored(obj)
        result = save()
        after = _stored(obj)
        if after is not None and (changes := _admin_changes(before, after, secret_fields)):
            action = AuditAction.CREATE if before is None else AuditAction.UPDATE
            _admin_entry(user, action, after, changes, request)
    return result


def admin_delete(*, user, obj, delete, secret_fields=(), request=None):
    """Delete `obj` as the admin does (`delete()`), with an entry of what it held."""
    _must_use_admin(user)
    with transaction.atomic():
        _admin_entry(
            user, AuditAction.DELETE, obj, _admin_changes(obj, None, secret_fields), request
        )
        delete()


def admin_formset_save(*, user, formset, save, secret_fields=(), request=None):
    """Save an inline formset as the admin does (`save()`), with an entry for every object it
    added, changed or deleted."""
    _must_use_admin(user)
    with transaction.atomic():
        # Deleting sets an object's primary key to None: find its stored copy by the object.
        before = {
            id(form.instance): _stored(form.instance)
            for form in formset.initial_forms
            if form.instance.pk is not None
        }
        save()
        for obj in formset.new_objects:
            changes = _admin_changes(None, obj, secret_fields)
            _admin_entry(user, AuditAction.CREATE, obj, changes, request)
        for obj, _fields in formset.changed_objects:
            changes = _admin_changes(before.get(id(obj)), obj, secret_fields)
            if changes:
                _admin_entry(user, AuditAction.UPDATE, obj, changes, request)
        for obj in formset.deleted_objects:
            stored = before.get(id(obj))
            changes = _admin_changes(stored, None, secret_fields)
            _admin_entry(user, AuditAction.DELETE, stored or obj, changes, request)
