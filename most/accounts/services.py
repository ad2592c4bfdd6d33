"""Changes to users and memberships."""

import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member
from most.lib.errors import NotAllowed
from most.lib.text import hidden_characters

from .models import Membership, Role, User
from .policy import can_manage_members


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
