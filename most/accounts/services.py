"""Changes to users and memberships."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member
from most.lib.errors import NotAllowed

from .models import Membership, Role, User
from .policy import can_manage_members


def member_add(*, member, email, full_name, role, request=None):
    """Give a user a role in the member's organisation, creating the account when it is new.

    Returns (membership, temporary password or None). The temporary password is shown once to
    the administrator, who passes it on; the new user changes it after the first login.
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
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(email=email, password=password, full_name=full_name)
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
    return membership, password


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
