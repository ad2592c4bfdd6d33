"""The one table of what each role may do inside its own organisation.

Every app's own policy module applies this table to its objects (whose organisation? shared
through a grant?). Views, the API, exports and reports ask those modules, never the role directly.
A *member* is the acting `Membership`: one user working for one organisation in one role.
"""

from enum import StrEnum

from .models import Membership, Role


class Action(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_CHANGE = "person.change"
    PERSON_EXPORT = "person.export"
    HOUSEHOLD_MANAGE = "household.manage"
    CONSENT_MANAGE = "consent.manage"
    PSYCHOSOCIAL_VIEW = "psychosocial.view"
    STATISTICS_VIEW = "statistics.view"
    AUDIT_VIEW = "audit.view"
    MEMBERS_MANAGE = "members.manage"


_CASEWORK = {
    Action.PERSON_VIEW,
    Action.PERSON_CREATE,
    Action.PERSON_CHANGE,
    Action.PERSON_EXPORT,
    Action.HOUSEHOLD_MANAGE,
    Action.CONSENT_MANAGE,
}

PERMISSIONS: dict[str, frozenset[Action]] = {
    # The organisation's administrator is also its data protection contact: the audit trail
    # and the members are theirs; they do casework in small organisations too.
    Role.ADMIN: frozenset(
        _CASEWORK | {Action.STATISTICS_VIEW, Action.AUDIT_VIEW, Action.MEMBERS_MANAGE}
    ),
    Role.COORDINATOR: frozenset(_CASEWORK | {Action.STATISTICS_VIEW}),
    Role.CASEWORKER: frozenset(_CASEWORK),
    # Psychosocial notes are for counsellors only (DESIGN.md, access rules).
    Role.COUNSELLOR: frozenset(_CASEWORK | {Action.PSYCHOSOCIAL_VIEW}),
    # Mediators meet the families, so they read the registry, but do not keep it.
    Role.MEDIATOR: frozenset({Action.PERSON_VIEW}),
    # Trainers work with professionals, not with migrants' records.
    Role.TRAINER: frozenset(),
    # Analysts see aggregates only, never a person.
    Role.ANALYST: frozenset({Action.STATISTICS_VIEW}),
    Role.VIEWER: frozenset({Action.PERSON_VIEW}),
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
