"""The one table of what each role may do inside its own organisation.

Every app's own policy module applies this table to its objects (whose organisation? shared
through a grant?). Views, the API, exports and reports ask those modules, never the role directly.
A *member* is the acting `Membership`: one user working for one organisation in one role.
"""

from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role


class Action(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_CHANGE = "person.change"
    PERSON_EXPORT = "person.export"
    HOUSEHOLD_MANAGE = "household.manage"
    CONSENT_MANAGE = "consent.manage"
    # Psychosocial support records: reading and writing them, for counsellors only.
    PSYCHOSOCIAL_VIEW = "psychosocial.view"
    # Needs assessments, integration plans, counselling sessions, outcomes.
    CASEWORK_VIEW = "casework.view"
    CASEWORK_MANAGE = "casework.manage"
    STATISTICS_VIEW = "statistics.view"
    AUDIT_VIEW = "audit.view"
    # The data subjects' requests: export, erasure, restriction, legal hold.
    DATA_PROTECTION = "data_protection"
    MEMBERS_MANAGE = "members.manage"
    PROGRAMME_VIEW = "programme.view"
    # Programmes as data: phases, areas, eligibility rules, capacity.
    PROGRAMME_MANAGE = "programme.manage"
    # Enrolling persons, the waiting list, pausing, completing, moving to the next phase.
    ENROLMENT_MANAGE = "enrolment.manage"
    ATTENDANCE_RECORD = "attendance.record"
    # The organisation's entries in the network's service catalogue, and imports into it.
    CATALOGUE_MANAGE = "catalogue.manage"
    # The organisation's inbox and outbox of referrals; sending, answering and closing them.
    REFERRAL_VIEW = "referral.view"
    REFERRAL_MANAGE = "referral.manage"


_CASEWORK = {
    Action.PERSON_VIEW,
    Action.PERSON_CREATE,
    Action.PERSON_CHANGE,
    Action.PERSON_EXPORT,
    Action.HOUSEHOLD_MANAGE,
    Action.CONSENT_MANAGE,
    Action.PROGRAMME_VIEW,
    Action.ENROLMENT_MANAGE,
    Action.ATTENDANCE_RECORD,
    Action.CASEWORK_VIEW,
    Action.CASEWORK_MANAGE,
    Action.REFERRAL_VIEW,
    Action.REFERRAL_MANAGE,
}

PERMISSIONS: dict[str, frozenset[Action]] = {
    # The organisation's administrator is also its data protection contact: the audit trail
    # and the members are theirs; they do casework in small organisations too.
    Role.ADMIN: frozenset(
        _CASEWORK
        | {
            Action.STATISTICS_VIEW,
            Action.AUDIT_VIEW,
            Action.DATA_PROTECTION,
            Action.MEMBERS_MANAGE,
            Action.PROGRAMME_MANAGE,
            Action.CATALOGUE_MANAGE,
        }
    ),
    Role.COORDINATOR: frozenset(
        _CASEWORK | {Action.STATISTICS_VIEW, Action.PROGRAMME_MANAGE, Action.CATALOGUE_MANAGE}
    ),
    Role.CASEWORKER: frozenset(_CASEWORK),
    # Psychosocial notes are for counsellors only (DESIGN.md, access rules).
    Role.COUNSELLOR: frozenset(_CASEWORK | {Action.PSYCHOSOCIAL_VIEW}),
    # Mediators meet the families, so they read the registry, but do not keep it; they lead
    # sessions of programmes, and take the attendance there.
    Role.MEDIATOR: frozenset({Action.PERSON_VIEW, Action.PROGRAMME_VIEW, Action.ATTENDANCE_RECORD}),
    # Trainers work with professionals, not with migrants' records.
    Role.TRAINER: frozenset(),
    # Analysts see aggregates only, never a person.
    Role.ANALYST: frozenset({Action.STATISTICS_VIEW}),
    Role.VIEWER: frozenset(
        {Action.PERSON_VIEW, Action.PROGRAMME_VIEW, Action.CASEWORK_VIEW, Action.REFERRAL_VIEW}
    ),
}


def can(member: Membership | None, action: Action) -> bool:
    """May this member do this action in their own organisation?"""
    return (
        member is not None
        and member.is_active
        and member.user.is_active
        and member.organisation.is_active
        and action in PERMISSIONS.get(member.role, frozenset())
    )


def memberships_of(user):
    """The active memberships a user can act through, in a stable order."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return active_memberships(user.pk)


def active_memberships(user_id):
    return (
        Membership.objects.filter(user_id=user_id, is_active=True, organisation__is_active=True)
        .select_related("organisation", "user")
        .order_by("organisation__name", "pk")
    )


def membership_by_id(pk) -> Membership | None:
    """A membership still in service (user, organisation and membership active), or None.

    For work done later on a member's behalf (a background job), which must not outlive the
    member's access.
    """
    return memberships_in_service().filter(pk=pk).first()


def memberships_in_service():
    return Membership.objects.filter(
        is_active=True, user__is_active=True, organisation__is_active=True
    ).select_related("user", "organisation")


def default_membership(memberships):
    """The membership a user acts through unless they choose: the oldest, which being added to
    another organisation does not change."""
    return min(memberships, key=lambda membership: membership.pk, default=None)


def membership_for(user, organisation_id=None) -> Membership | None:
    """The membership through which `user` acts for that organisation (default: the oldest)."""
    memberships = memberships_of(user)
    if organisation_id is None:
        return default_membership(memberships)
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        return None
    # No id is that large, and SQLite cannot even compare with it (OverflowError).
    if not 0 < organisation_id < 2**63:
        return None
    return memberships.filter(organisation_id=organisation_id).first()


def can_manage_members(member: Membership | None, organisation) -> bool:
    return can(member, Action.MEMBERS_MANAGE) and member.organisation_id == organisation.pk


def can_end_membership(member: Membership | None, membership) -> bool:
    # An administrator cannot lock themselves out of their own organisation.
    return can_manage_members(member, membership.organisation) and membership.pk != member.pk


def can_reset_two_factor(member: Membership | None, membership) -> bool:
    """A member who lost their phone: their organisation's administrator removes their second
    factor, and they set up a new one (at their next sign-in, where it is required). Not one's
    own: that is the member's own two-factor page."""
    return can_manage_members(member, membership.organisation) and membership.pk != member.pk


def can_revoke_api_token(member: Membership | None, membership) -> bool:
    return can_manage_members(member, membership.organisation)


def can_use_admin(user) -> bool:
    """The Django admin is for the platform's administrators (is_staff); the admin site also
    asks for the second factor (admin_site.py)."""
    return user.is_authenticated and user.is_active and user.is_staff


# --- Two-factor sign-in --------------------------------------------------------------------
# A user's second factor is an authenticator app (a confirmed TOTP device); the ten backup codes
# (a static device) come with it and go with it, so "has a second factor" is one indexed query,
# which the login backend folds into the query that reads the user on every request.


class SecondFactor(StrEnum):
    VERIFY = "verify"  # has a second factor, and has not entered a code in this session yet
    ENROL = "enrol"  # must have one and has none: may do nothing until it is set up


def two_factor_enabled_query(user_ref="pk"):
    """An EXISTS expression, for an annotation: has the user (the outer row's `user_ref`) set up
    a second factor?"""
    return Exists(TOTPDevice.objects.filter(user=OuterRef(user_ref), confirmed=True))


def two_factor_enabled(user) -> bool:
    enabled = getattr(user, "two_factor_enabled", None)  # read with the user (backends.py)
    if enabled is None:
        enabled = TOTPDevice.objects.filter(user=user.pk, confirmed=True).exists()
    return enabled


def two_factor_required(user) -> bool:
    """Must this user sign in with a second factor? Administrators of an organisation and of
    the platform (the Django admin) must, when TWO_FACTOR_REQUIRED_FOR_ADMINS; so must the
    members of an organisation in the roles it asks it of."""
    if not user.is_authenticated:
        return False
    memberships = getattr(user, "active_memberships", None)
    if memberships is None:
        memberships = memberships_of(user)
    for_admins = settings.TWO_FACTOR_REQUIRED_FOR_ADMINS
    return (for_admins and user.is_staff) or any(
        m.role in m.organisation.two_factor_roles or (for_admins and m.role == Role.ADMIN)
        for m in memberships
    )


def can_turn_off_two_factor(user) -> bool:
    return not two_factor_required(user)


def second_factor_step(user) -> SecondFactor | None:
    """What a signed-in user must still do before they may work (the workspace, the API through
    the session, the Django admin): nothing (None), VERIFY or ENROL.

    `user.is_verified()` comes from django-otp's middleware: this session has passed the
    second step. A user without it (the login view's, just authenticated) has not.
    """
    if not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if two_factor_enabled(user):
        return SecondFactor.VERIFY
    if two_factor_required(user):
        return SecondFactor.ENROL
    return None
