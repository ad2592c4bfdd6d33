"""Who may see and run programmes, and enrol persons in them.

A programme belongs to the organisation that runs it; its participants are that organisation's
own persons (another organisation's person joins through a referral, not here). Everyone who
reads the registry sees the organisation's programmes; coordinators shape them; those who keep
the records enrol and move participants.
"""

from most.accounts.models import Membership
from most.accounts.policy import Action, can
from most.people import policy as people_policy

from .models import Activity, CalendarFeed, Enrolment, Programme, Session


def programmes_visible_to(member):
    if not can(member, Action.PROGRAMME_VIEW):
        return Programme.objects.none()
    return Programme.objects.filter(organisation=member.organisation_id)


def can_view_programmes(member) -> bool:
    return can(member, Action.PROGRAMME_VIEW)


def can_view_figures(member) -> bool:
    """The programme's figures (most.reports): counts only, small ones suppressed."""
    return can(member, Action.STATISTICS_VIEW)


def can_manage_programme(member, programme=None) -> bool:
    return can(member, Action.PROGRAMME_MANAGE) and (
        programme is None or programme.organisation_id == member.organisation_id
    )


def can_manage_enrolments(member, programme) -> bool:
    return (
        can(member, Action.ENROLMENT_MANAGE) and programme.organisation_id == member.organisation_id
    )


def can_enrol_person(member, person) -> bool:
    """Only the organisation's own persons, while their record may change (not restricted)."""
    return can(member, Action.ENROLMENT_MANAGE) and people_policy.can_change_person(member, person)


def can_enrol(member, programme, person) -> bool:
    return can_manage_enrolments(member, programme) and can_enrol_person(member, person)


def enrolments_visible_to(member):
    """The enrolments in the member's organisation's programmes of persons the member may see
    in lists (an erased or restricted person is counted, not listed)."""
    if not can(member, Action.PROGRAMME_VIEW):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        programme__organisation=member.organisation_id,
        person__in=people_policy.persons_owned_by(member),
    )


def can_record_attendance_in_organisation(member) -> bool:
    return can(member, Action.ATTENDANCE_RECORD)


def can_record_attendance(member, programme) -> bool:
    return (
        can(member, Action.ATTENDANCE_RECORD)
        and programme.organisation_id == member.organisation_id
    )


def activities_visible_to(member):
    if not can(member, Action.PROGRAMME_VIEW):
        return Activity.objects.none()
    return Activity.objects.filter(programme__organisation=member.organisation_id)


def sessions_visible_to(member):
    if not can(member, Action.PROGRAMME_VIEW):
        return Session.objects.none()
    return Session.objects.filter(activity__programme__organisation=member.organisation_id)


def is_colleague(member, user) -> bool:
    """A facilitator is a member of the organisation that runs the programme."""
    return Membership.objects.filter(
        organisation=member.organisation_id, user=user, is_active=True
    ).exists()


def colleagues_of(member):
    return Membership.objects.filter(
        organisation=member.organisation_id, is_active=True, user__is_active=True
    )


def feeds_visible_to(member):
    """The calendar links the member made (and those of programmes they may manage)."""
    return CalendarFeed.objects.filter(
        organisation=member.organisation_id, created_by=member.user_id, revoked_at=None
    )


def can_revoke_feed(member, feed) -> bool:
    if feed.organisation_id != member.organisation_id:
        return False
    if feed.created_by_id == member.user_id:
        return True
    return feed.programme is not None and can_manage_programme(member, feed.programme)
