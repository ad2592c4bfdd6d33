"""Activities, their sessions, attendance on a phone, calendars and calendar feeds."""

import datetime

import icalendar
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.lib.errors import NotAllowed
from most.people import policy as people_policy
from most.people import selectors as people
from most.web import add_errors, get_or_404

from . import activity_selectors as selectors
from . import activity_services as services
from . import policy
from .forms import ActivityForm, AttendanceForm
from .models import ActivityKind, CalendarFeed, Enrolment
from .selectors import programme_for
from .views import _audit_shown


def _activity_form(request, programme):
    participants = (
        Enrolment.objects.filter(programme=programme, status__in=("active", "paused"))
        .filter(person__in=people_policy.persons_owned_by(request.member))
        .select_related("person")
        .order_by("person__sort_name")
    )
    return ActivityForm(
        request.POST or None,
        programme=programme,
        areas=programme.areas.all(),
        phases=programme.phases.all(),
        participants=participants,
        colleagues=policy.colleagues_of(request.member).select_related("user"),
    )


@require_http_methods(["GET", "POST"])
@member_required
def activity_create(request, pk):
    programme = get_or_404(programme_for, request.member, pk)
    if not policy.can_manage_programme(request.member, programme):
        raise Http404
    form = _activity_form(request, programme)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                member=request.member,
                programme=programme,
                fields=form.activity_fields(),
                plan=form.plan(),
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The activity was planned."))
            return redirect(activity.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    context = {"programme": programme, "form": form}
    return render(request, "programmes/activity_form.html", context, status=status)


@require_GET
@member_required
def activity_detail(request, pk):
    activity = get_or_404(selectors.activity_for, request.member, pk)
    context = {
        "activity": activity,
        "programme": activity.programme,
        "sessions": selectors.sessions_of(activity),
        "can_manage": policy.can_manage_programme(request.member, activity.programme),
        "can_record": policy.can_record_attendance(request.member, activity.programme),
        "now": timezone.now(),
    }
    return render(request, "programmes/activity_detail.html", context)


@require_POST
@member_required
def session_cancel(request, pk):
    session = get_or_404(selectors.session_for, request.member, pk)
    if not policy.can_manage_programme(request.member, session.activity.programme):
        raise Http404
    cancelled = request.POST.get("cancelled", "1") == "1"
    services.session_cancel(
        member=request.member, session=session, cancelled=cancelled, request=request
    )
    if cancelled:
        messages.success(request, _("The session was cancelled."))
    else:
        messages.success(request, _("The session takes place again."))
    return redirect(session.activity.get_absolute_url())


@require_http_methods(["GET", "POST"])
@member_required
def attendance(request, pk):
    """The whole group on one screen, saved in one request."""
    session = get_or_404(selectors.session_for, request.member, pk)
    if not policy.can_record_attendance(request.member, session.activity.programme):
        raise Http404
    sheet = selectors.attendance_sheet(session)
    form = AttendanceForm(request.POST or None, sheet=sheet)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Unknown fields (a participant not in the group) reach the service, which refuses.
            presences = form.presences()
            for name, value in request.POST.items():
                if name.startswith("presence-") and name not in form.fields:
                    try:
                        presences[int(name.removeprefix("presence-"))] = value
                    except ValueError:
                        continue
            try:
                saved = services.attendance_save(
                    member=request.member, session=session, presences=presences, request=request
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except NotAllowed as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Attendance saved for %(count)d participants.") % {"count": saved},
                )
                return redirect("programmes:attendance", pk=session.pk)
        status = 422
    else:
        _audit_shown(request, f"session {session.pk}: attendance", [e.person_id for e in sheet])
    context = {"session": session, "activity": session.activity, "form": form}
    return render(request, "programmes/attendance.html", context, status=status)


def _month_context(request, sessions_for):
    first, start, end = selectors.month_bounds(request.GET.get("month"))
    sessions = list(sessions_for(start, end))
    previous = (first.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    following = end.date().strftime("%Y-%m")
    return {
        "month": first,
        "days": selectors.by_day(sessions),
        "previous": previous,
        "following": following,
    }


@require_GET
@member_required
def programme_calendar(request, pk):
    programme = get_or_404(programme_for, request.member, pk)
    context = _month_context(
        request,
        lambda start, end: selectors.programme_calendar(request.member, programme, start, end),
    )
    context.update(
        programme=programme,
        title=programme.name,
        feeds=policy.feeds_visible_to(request.member).filter(programme=programme),
        can_share=policy.can_manage_programme(request.member, programme),
        share_url=reverse("programmes:programme_feed_create", args=[programme.pk]),
    )
    return render(request, "programmes/calendar.html", context)


@require_GET
@member_required
def person_calendar(request, pk):
    person = get_or_404(people.person_for, request.member, pk)
    if not policy.can_view_programmes(request.member) or not people_policy.is_own_record(
        request.member, person
    ):
        raise Http404
    context = _month_context(
        request,
        lambda start, end: selectors.person_calendar(request.member, person, start, end),
    )
    context.update(person=person, title=person.latin_name)
    return render(request, "programmes/calendar.html", context)


@require_GET
@member_required
def my_calendar(request):
    if not policy.can_view_programmes(request.member):
        raise Http404
    context = _month_context(
        request, lambda start, end: selectors.facilitator_calendar(request.member, start, end)
    )
    context.update(
        title=_("My sessions"),
        feeds=policy.feeds_visible_to(request.member).filter(facilitator=request.user),
        can_share=True,
        share_url=reverse("programmes:my_feed_create"),
    )
    return render(request, "programmes/calendar.html", context)


@require_POST
@member_required
def programme_feed_create(request, pk):
    programme = get_or_404(programme_for, request.member, pk)
    if not policy.can_manage_programme(request.member, programme):
        raise Http404
    services.feed_create(member=request.member, programme=programme, request=request)
    messages.success(request, _("A new calendar link was made."))
    return redirect("programmes:calendar", pk=programme.pk)


@require_POST
@member_required
def my_feed_create(request):
    if not policy.can_view_programmes(request.member):
        raise Http404
    services.feed_create(member=request.member, facilitator=request.user, request=request)
    messages.success(request, _("A new calendar link was made."))
    return redirect("programmes:my_calendar")


@require_POST
@member_required
def feed_revoke(request, pk):
    feed = CalendarFeed.objects.filter(pk=pk, revoked_at=None).select_related("programme").first()
    if feed is None or not policy.can_revoke_feed(request.member, feed):
        raise Http404
    services.feed_revoke(member=request.member, feed=feed, request=request)
    messages.success(request, _("The calendar link was revoked: it shows nothing any more."))
    if feed.programme_id:
        return redirect("programmes:calendar", pk=feed.programme_id)
    return redirect("programmes:my_calendar")


@never_cache
@require_GET
def feed(request, token):
    """The iCalendar feed behind a secret link (no login: calendar applications fetch it)."""
    found = selectors.feed_by_token(token)
    if found is None:
        raise Http404
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Most//Programmes//EN")
    calendar.add("version", "2.0")
    name = found.programme.name if found.programme else found.facilitator.full_name
    calendar.add("x-wr-calname", f"{name} · {found.organisation.name}")
    host = request.get_host()
    for session in selectors.feed_sessions(found):
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@{host}")
        # An individual session is named by its kind only: a feed names no participant.
        individual = session.activity.kind == ActivityKind.INDIVIDUAL
        title = ActivityKind(session.activity.kind).label if individual else session.activity.title
        event.add("summary", title)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", session.activity.created_at)
        if session.place:
            event.add("location", session.place)
        if session.cancelled:
            event.add("status", "CANCELLED")
        event.add("description", session.activity.programme.name)
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
