"""What the activity, attendance and calendar pages read, in a fixed number of queries."""

import datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from most.lib.errors import NotFound

from . import policy
from .activity_services import group_of, local_zone
from .models import HOLDS_A_PLACE, Attendance, CalendarFeed, Presence, Session
from .selectors import pk_of


def with_clashes(sessions):
    """Each session marked when another session of the same organisation overlaps it with the
    same facilitator or in the same place (one EXISTS per row, on the indexes)."""
    others = (
        Session.objects.filter(
            cancelled=False,
            starts_at__lt=OuterRef("ends_at"),
            ends_at__gt=OuterRef("starts_at"),
            activity__programme__organisation=OuterRef("activity__programme__organisation"),
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(facilitator=OuterRef("facilitator")) | Q(place=OuterRef("place")) & ~Q(place=""))
    )
    return sessions.annotate(clash=Exists(others))


def activities_of(member, programme):
    return (
        policy.activities_visible_to(member)
        .filter(programme=programme)
        .select_related("area", "phase", "facilitator", "enrolment__person")
        .annotate(
            next_session=Min(
                "sessions__starts_at",
                filter=Q(sessions__starts_at__gte=timezone.now(), sessions__cancelled=False),
            ),
            session_count=Count("sessions", filter=Q(sessions__cancelled=False)),
        )
        .order_by(F("next_session").asc(nulls_last=True), "title")
    )


def activity_for(member, pk):
    activity = (
        policy.activities_visible_to(member)
        .select_related("programme", "area", "phase", "facilitator", "enrolment__person")
        .filter(pk=pk_of(pk))
        .first()
    )
    if activity is None:
        raise NotFound("not found")
    return activity


def sessions_of(activity):
    return with_clashes(
        activity.sessions.select_related("facilitator").annotate(
            recorded=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
        )
    ).order_by("starts_at")


def session_for(member, pk):
    session = (
        policy.sessions_visible_to(member)
        .select_related("activity__programme", "activity__phase", "facilitator")
        .filter(pk=pk_of(pk))
        .first()
    )
    if session is None:
        raise NotFound("not found")
    return session


def attendance_sheet(session):
    """The session's group, alphabetically, each with what was recorded (None: nothing yet),
    in one query."""
    recorded = Attendance.objects.filter(session=session, enrolment=OuterRef("pk"))
    return list(
        group_of(session)
        .filter(person__erased_at=None, person__restricted_at=None)
        .select_related("person")
        .annotate(presence=Subquery(recorded.values("presence")[:1]))
        .order_by("person__sort_name", "pk")
    )


def month_bounds(month: str | None):
    """The first day of the month asked for ('2026-12'; default this month) and of the next,
    as moments in local time."""
    today = timezone.localdate()
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        first = datetime.date(year, number, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = local_zone()
    return (
        first,
        datetime.datetime.combine(first, datetime.time(), zone),
        datetime.datetime.combine(following, datetime.time(), zone),
    )


def _calendar(sessions, start, end):
    return with_clashes(
        sessions.filter(starts_at__gte=start, starts_at__lt=end).select_related(
            "activity__programme", "facilitator"
        )
    ).order_by("starts_at", "pk")


def programme_calendar(member, programme, start, end):
    return _calendar(
        policy.sessions_visible_to(member).filter(activity__programme=programme), start, end
    )


def person_calendar(member, person, start, end):
    """The sessions the person is expected at (their group's, their own individual ones) and
    those they were recorded at."""
    expected = Q(activity__enrolment__person=person) | Q(
        activity__enrolment__isnull=True,
        activity__programme__enrolments__person=person,
        activity__programme__enrolments__status__in=HOLDS_A_PLACE,
    ) & (
        Q(activity__phase__isnull=True)
        | Q(activity__phase=F("activity__programme__enrolments__phase"))
    )
    attended = Attendance.objects.filter(enrolment__person=person).values("session")
    sessions = policy.sessions_visible_to(member).filter(expected | Q(pk__in=attended))
    return _calendar(sessions.distinct(), start, end)


def facilitator_calendar(member, start, end):
    return _calendar(
        policy.sessions_visible_to(member).filter(facilitator=member.user_id), start, end
    )


def by_day(sessions):
    """[(day, [sessions])] in local time."""
    days = {}
    for session in sessions:
        days.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    return list(days.items())


def feed_by_token(token):
    return (
        CalendarFeed.objects.filter(token=token, revoked_at=None)
        .select_related("programme", "facilitator", "organisation")
        .first()
    )


def feed_sessions(feed):
    """A feed's sessions from three months back on, with no participant in them."""
    since = timezone.now() - datetime.timedelta(days=92)
    sessions = Session.objects.filter(
        activity__programme__organisation=feed.organisation_id, starts_at__gte=since
    )
    if feed.programme_id:
        sessions = sessions.filter(activity__programme=feed.programme_id)
    else:
        sessions = sessions.filter(facilitator=feed.facilitator_id)
    return sessions.select_related("activity__programme").order_by("starts_at")[:2000]


def sessions_today(member, limit=10):
    """Today's sessions of the organisation (for whoever takes attendance), with how many of
    the group were recorded."""
    if not policy.can_view_programmes(member):
        return []
    zone = local_zone()
    today = timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time(), zone)
    return list(
        policy.sessions_visible_to(member)
        .filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
        .filter(cancelled=False)
        .select_related("activity__programme")
        .annotate(recorded=Count("attendance"))
        .order_by("starts_at", "pk")[:limit]
    )
