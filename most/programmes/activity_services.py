"""Every change to activities, their sessions and attendance, and the calendar feeds.

Sessions of a recurring activity are planned with dateutil's rrule in the organisation's local
time (Europe/Ljubljana), so a course on Tuesdays at 17:00 stays at 17:00 across the change to
and from summer time; they are stored in UTC like every moment.
"""

import datetime
import secrets
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member, audit_persons_shown, changes_between, snapshot
from most.lib.errors import NotAllowed

from . import policy
from .models import (
    HOLDS_A_PLACE,
    Activity,
    ActivityKind,
    Attendance,
    CalendarFeed,
    Enrolment,
    Presence,
    Session,
)

ACTIVITY_FIELDS = ("kind", "title", "area", "phase", "enrolment", "facilitator", "place")
MAX_SESSIONS = 200
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def plan_sessions(*, first_day, starts, ends, weekdays=(), every_weeks=0, count=None, until=None):
    """The sessions' (start, end) moments: one on first_day, or weekly (every `every_weeks`
    weeks) on the weekdays (0 = Monday; default first_day's), `count` times or until a day.
    Times are wall-clock times where the sessions happen."""
    errors = {}
    if ends <= starts:
        errors["ends"] = _("An activity cannot end before it starts.")
    if until and until < first_day:
        errors["until"] = _("The last day cannot be before the first.")
    if every_weeks and not (count or until):
        errors["count"] = _("Say how many times, or until which day, the activity repeats.")
    if errors:
        raise ValidationError(errors)
    zone = local_zone()
    dtstart = datetime.datetime.combine(first_day, starts)
    if every_weeks:
        days = [WEEKDAYS[day] for day in sorted(set(weekdays))] or None
        last = datetime.datetime.combine(until, starts) if until else None
        occurrences = list(
            rrule.rrule(
                rrule.WEEKLY,
                dtstart=dtstart,
                interval=every_weeks,
                byweekday=days,
                count=count,
                until=last,
                cache=False,
            )[: MAX_SESSIONS + 1]
        )
    else:
        occurrences = [dtstart]
    if len(occurrences) > MAX_SESSIONS:
        raise ValidationError({"count": _("At most %(n)d sessions at once.") % {"n": MAX_SESSIONS}})
    if not occurrences:
        raise ValidationError({"weekdays": _("No session falls between these days.")})
    return [
        (
            moment.replace(tzinfo=zone),
            datetime.datetime.combine(moment.date(), ends).replace(tzinfo=zone),
        )
        for moment in occurrences
    ]


def recurrence_text(*, weekdays, every_weeks, count, until) -> str:
    if not every_weeks:
        return ""
    parts = [f"FREQ=WEEKLY;INTERVAL={every_weeks}"]
    if weekdays:
        parts.append("BYDAY=" + ",".join(str(WEEKDAYS[day]) for day in sorted(set(weekdays))))
    parts.append(f"COUNT={count}" if count else f"UNTIL={until:%Y%m%d}")
    return "RRULE:" + ";".join(parts)


def _check_activity(member, activity):
    programme = activity.programme
    errors = {}
    if activity.area and activity.area.programme_id != programme.pk:
        errors["area"] = _("Choose an area of concern of this programme.")
    if activity.phase and activity.phase.programme_id != programme.pk:
        errors["phase"] = _("Choose a phase of this programme.")
    if activity.kind == ActivityKind.INDIVIDUAL and not activity.enrolment:
        errors["enrolment"] = _("Individual help is for one participant: choose them.")
    if activity.enrolment and activity.enrolment.programme_id != programme.pk:
        errors["enrolment"] = _("Choose a participant of this programme.")
    if activity.facilitator and not policy.is_colleague(member, activity.facilitator):
        errors["facilitator"] = _("Choose a member of your organisation.")
    if errors:
        raise ValidationError(errors)


def activity_create(*, member, programme, fields, plan, request=None) -> Activity:
    """fields: ACTIVITY_FIELDS; plan: plan_sessions' arguments. Nothing is saved unless the
    activity and every session are right."""
    if not policy.can_manage_programme(member, programme):
        raise NotAllowed(_("You may not plan this programme's activities."))
    activity = Activity(programme=programme, created_by=member.user, **fields)
    _check_activity(member, activity)
    moments = plan_sessions(**plan)
    activity.recurrence = recurrence_text(
        weekdays=plan.get("weekdays", ()),
        every_weeks=plan.get("every_weeks", 0),
        count=plan.get("count"),
        until=plan.get("until"),
    )
    activity.full_clean(exclude=["programme", "created_by"])
    with transaction.atomic():
        activity.save()
        Session.objects.bulk_create(
            Session(
                activity=activity,
                starts_at=start,
                ends_at=end,
                facilitator=activity.facilitator,
                place=activity.place,
            )
            for start, end in moments
        )
        values = snapshot(activity, ("kind", "title", "place", "recurrence"))
        values["sessions"] = len(moments)
        audit_member(
            member,
            AuditAction.CREATE,
            activity,
            person_id=activity.enrolment.person_id if activity.enrolment else None,
            changes=changes_between({}, values),
            request=request,
        )
    return activity


def session_cancel(*, member, session, cancelled=True, request=None) -> Session:
    if not policy.can_manage_programme(member, session.activity.programme):
        raise NotAllowed(_("You may not change this activity."))
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(cancelled=cancelled)
        session.cancelled = cancelled
        audit_member(
            member,
            AuditAction.UPDATE,
            session,
            changes={"cancelled": [not cancelled, cancelled]},
            request=request,
        )
    return session


# --- Attendance -----------------------------------------------------------------------------


def group_of(session):
    """The enrolments expected at the session: its individual participant, or those taking part
    in the programme (in the activity's phase, when it has one)."""
    activity = session.activity
    if activity.enrolment_id:
        return Enrolment.objects.filter(pk=activity.enrolment_id)
    group = Enrolment.objects.filter(programme=activity.programme_id, status__in=HOLDS_A_PLACE)
    if activity.phase_id:
        group = group.filter(phase=activity.phase_id)
    return group


def attendance_save(*, member, session, presences: dict[int, str], request=None) -> int:
    """Record the group's attendance at the session in one go: {enrolment id: presence}.

    Refused as a whole when one of them is not in the session's group (nothing is saved); a
    second save of the same session replaces the first. Returns how many were recorded.
    """
    if not policy.can_record_attendance(member, session.activity.programme):
        raise NotAllowed(_("You may not record attendance in this programme."))
    if session.cancelled:
        raise ValidationError(_("The session was cancelled; there is no attendance to record."))
    if session.starts_at.date() > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError(_("Attendance is recorded on the day of the session, not before."))
    if not presences:
        raise ValidationError(_("Mark at least one participant."))
    if wrong := {value for value in presences.values() if value not in Presence.values}:
        raise ValidationError(_("Unknown attendance: %(values)s.") % {"values": ", ".join(wrong)})
    members = dict(group_of(session).filter(pk__in=list(presences)).values_list("pk", "person_id"))
    if outsiders := set(presences) - set(members):
        names = ", ".join(
            Enrolment.objects.filter(pk__in=outsiders)
            .select_related("person")
            .values_list("person__given_name_latin", flat=True)
        ) or ", ".join(str(pk) for pk in sorted(outsiders))
        raise ValidationError(
            _("Not enrolled in this group, so no attendance can be recorded: %(names)s.")
            % {"names": names},
            code="not_enrolled",
        )
    now = timezone.now()
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, enrolment_id=pk, presence=value, recorded_at=now)
                for pk, value in presences.items()
            ],
            update_conflicts=True,
            unique_fields=["session", "enrolment"],
            update_fields=["presence", "recorded_at"],
        )
        # One entry for the group, linked to each person it names (their history shows it).
        counts = {value: list(presences.values()).count(value) for value in Presence.values}
        entry = audit_member(
            member,
            AuditAction.UPDATE,
            session,
            object_repr=str(session),
            facts={"attendance": counts},
            request=request,
        )
        audit_persons_shown(entry, members.values())
    return len(presences)


# --- Calendar feeds -------------------------------------------------------------------------


def feed_create(*, member, programme=None, facilitator=None, request=None) -> CalendarFeed:
    """A new secret link to a programme's sessions (its managers) or to one's own sessions as a
    facilitator."""
    if programme is not None and not policy.can_manage_programme(member, programme):
        raise NotAllowed(_("You may not share this programme's calendar."))
    if facilitator is not None and facilitator.pk != member.user_id:
        raise NotAllowed(_("A facilitator's calendar is their own to share."))
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            token=secrets.token_urlsafe(32),
            organisation=member.organisation,
            programme=programme,
            facilitator=facilitator,
            created_by=member.user,
        )
        audit_member(member, AuditAction.CREATE, feed, request=request)
    return feed


def feed_revoke(*, member, feed, request=None) -> None:
    if not policy.can_revoke_feed(member, feed):
        raise NotAllowed(_("You may not revoke this calendar link."))
    with transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk, revoked_at=None).update(revoked_at=timezone.now())
        audit_member(member, AuditAction.UPDATE, feed, changes={"revoked": [False, True]})
