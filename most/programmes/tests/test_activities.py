"""Activities: recurring sessions in local time, attendance for a group in one request, overlap
flags, calendars and iCalendar feeds."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from most.audit.models import AuditEntry
from most.programmes import activity_selectors, activity_services, services
from most.programmes.models import Activity, Attendance, Session

LJUBLJANA = ZoneInfo("Europe/Ljubljana")
TODAY = datetime.date.today()


def test_weekly_on_tuesdays_for_ten_weeks_stays_at_17_across_summer_time():
    # The clocks go forward on 29 March 2026 and back on 25 October 2026.
    for first in (datetime.date(2026, 3, 10), datetime.date(2026, 10, 6)):
        moments = activity_services.plan_sessions(
            first_day=first,
            starts=datetime.time(17),
            ends=datetime.time(18, 30),
            weekdays=[1],
            every_weeks=1,
            count=10,
        )
        assert len(moments) == 10
        local = [start.astimezone(LJUBLJANA) for start, _end in moments]
        assert {(m.hour, m.minute, m.weekday()) for m in local} == {(17, 0, 1)}
        assert {end.astimezone(LJUBLJANA).time() for _s, end in moments} == {datetime.time(18, 30)}
        offsets = {m.utcoffset() for m in local}
        assert offsets == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}
        utc_hours = {start.astimezone(datetime.UTC).hour for start, _end in moments}
        assert utc_hours == {15, 16}


def test_every_other_week_on_two_days_until_a_day():
    moments = activity_services.plan_sessions(
        first_day=datetime.date(2026, 1, 5),  # a Monday
        starts=datetime.time(9),
        ends=datetime.time(11),
        weekdays=[0, 3],
        every_weeks=2,
        until=datetime.date(2026, 2, 1),
    )
    days = [start.astimezone(LJUBLJANA).date() for start, _end in moments]
    assert days == [
        datetime.date(2026, 1, 5),
        datetime.date(2026, 1, 8),
        datetime.date(2026, 1, 19),
        datetime.date(2026, 1, 22),
    ]


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"starts": datetime.time(18), "ends": datetime.time(17)}, "ends"),
        ({"starts": datetime.time(18), "ends": datetime.time(18)}, "ends"),
        ({"every_weeks": 1}, "count"),
        ({"every_weeks": 1, "until": datetime.date(2025, 1, 1)}, "until"),
        ({"every_weeks": 1, "count": 500}, "count"),
    ],
)
def test_an_impossible_plan_is_refused(plan, field):
    arguments = {
        "first_day": datetime.date(2026, 3, 10),
        "starts": datetime.time(17),
        "ends": datetime.time(18),
        **plan,
    }
    with pytest.raises(ValidationError) as error:
        activity_services.plan_sessions(**arguments)
    assert field in error.value.message_dict


@pytest.fixture
def course(coordinator, activation):
    """A weekly group session of the first phase, started a week ago."""
    return activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={
            "kind": "group",
            "title": "Skupina za osebno rast",
            "phase": activation.phases.first(),
            "facilitator": coordinator.user,
            "place": "Dnevni center, Resljeva 5",
        },
        plan={
            "first_day": TODAY - datetime.timedelta(days=7),
            "starts": datetime.time(9),
            "ends": datetime.time(11),
            "every_weeks": 1,
            "count": 8,
        },
    )


def test_an_activity_that_ends_before_it_starts_saves_nothing(coordinator, activation):
    with pytest.raises(ValidationError):
        activity_services.activity_create(
            member=coordinator,
            programme=activation,
            fields={"kind": "workshop", "title": "Računalniška delavnica"},
            plan={
                "first_day": TODAY,
                "starts": datetime.time(11),
                "ends": datetime.time(9),
            },
        )
    assert not Activity.objects.exists() and not Session.objects.exists()


@pytest.fixture
def group(coordinator, activation, make_woman):
    return services.enrol(
        member=coordinator, programme=activation, persons=[make_woman() for _ in range(3)]
    )


def test_a_group_s_attendance_is_saved_in_one_request(
    login, coordinator, course, group, django_assert_max_num_queries
):
    session = course.sessions.order_by("starts_at").first()
    client = login(coordinator)
    sheet = client.get(f"/app/programmes/sessions/{session.pk}/attendance/").content.decode()
    assert all(e.person.latin_name in sheet for e in group)
    data = {f"presence-{e.pk}": "present" for e in group}
    data[f"presence-{group[2].pk}"] = "excused"
    response = client.post(f"/app/programmes/sessions/{session.pk}/attendance/", data)
    assert response.status_code == 302
    saved = dict(Attendance.objects.values_list("enrolment_id", "presence"))
    assert saved == {group[0].pk: "present", group[1].pk: "present", group[2].pk: "excused"}
    entry = AuditEntry.objects.filter(object_type="programmes.session").latest("pk")
    assert entry.changes["attendance"] == {"present": 2, "absent": 0, "excused": 1}
    # Corrected later: the same session's attendance is replaced, not doubled.
    data[f"presence-{group[0].pk}"] = "absent"
    client.post(f"/app/programmes/sessions/{session.pk}/attendance/", data)
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrolment=group[0]).presence == "absent"


def test_attendance_for_a_person_not_enrolled_is_refused_and_nothing_saved(
    login, coordinator, course, group, make_woman, activation
):
    session = course.sessions.order_by("starts_at").first()
    outsider = services.enrol(
        member=coordinator, programme=activation, persons=[make_woman()], apply_only=True
    )[0]
    data = {f"presence-{e.pk}": "present" for e in group}
    data[f"presence-{outsider.pk}"] = "present"
    response = login(coordinator).post(f"/app/programmes/sessions/{session.pk}/attendance/", data)
    assert response.status_code == 422
    assert "Not enrolled in this group" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_is_not_taken_for_a_session_next_week(coordinator, course, group):
    later = course.sessions.order_by("-starts_at").first()
    with pytest.raises(ValidationError, match="not before"):
        activity_services.attendance_save(
            member=coordinator, session=later, presences={group[0].pk: "present"}
        )


def test_sessions_of_one_facilitator_or_place_that_overlap_are_flagged(
    coordinator, activation, course
):
    other = activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={"kind": "visit", "title": "Obisk knjižnice", "place": "Mestna knjižnica"},
        plan={
            "first_day": TODAY - datetime.timedelta(days=7),
            "starts": datetime.time(10),
            "ends": datetime.time(12),
        },
    )
    flagged = {s.pk: s.clash for s in activity_selectors.sessions_of(course)}
    assert sum(flagged.values()) == 0  # another place, nobody facilitates the visit
    Session.objects.filter(activity=other).update(facilitator=coordinator.user)
    flagged = {s.pk: s.clash for s in activity_selectors.sessions_of(course)}
    first = course.sessions.order_by("starts_at").first()
    assert flagged[first.pk] and sum(flagged.values()) == 1


def test_the_feed_lists_the_sessions_and_stops_when_revoked(client, coordinator, course, group):
    feed = activity_services.feed_create(member=coordinator, programme=course.programme)
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 8
    assert str(events[0]["summary"]) == "Skupina za osebno rast"
    assert events[0].decoded("dtstart").astimezone(LJUBLJANA).time() == datetime.time(9)
    assert all(e.person.family_name not in response.content.decode() for e in group)
    activity_services.feed_revoke(member=coordinator, feed=feed)
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert client.get("/calendar/guessed.ics").status_code == 404


def test_a_facilitator_s_feed_has_their_sessions(client, coordinator, course):
    feed = activity_services.feed_create(member=coordinator, facilitator=coordinator.user)
    calendar = icalendar.Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    assert len(calendar.walk("VEVENT")) == 8


def test_the_person_s_calendar_shows_their_group_s_sessions(login, coordinator, course, group):
    month = timezone.localdate().strftime("%Y-%m")
    page = login(coordinator).get(
        f"/app/programmes/persons/{group[0].person_id}/calendar/?month={month}"
    )
    assert "Skupina za osebno rast" in page.content.decode()


def test_the_programme_calendar_pages_through_months(login, coordinator, course):
    client = login(coordinator)
    page = client.get(f"/app/programmes/{course.programme_id}/calendar/?month=not-a-month")
    assert page.status_code == 200
    assert "Skupina za osebno rast" in page.content.decode()
    empty = client.get(f"/app/programmes/{course.programme_id}/calendar/?month=2001-01")
    assert "No session this month." in empty.content.decode()


def test_today_s_sessions_are_on_the_home_with_the_attendance_link(
    login, coordinator, activation, make_member, org_a
):
    activity = activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={"kind": "sport", "title": "Plavalni tečaj", "place": "Kopališče Tivoli"},
        plan={"first_day": TODAY, "starts": datetime.time(0, 5), "ends": datetime.time(1)},
    )
    session = activity.sessions.get()
    home = login(make_member("mediator", org_a)).get("/app/").content.decode()
    assert "Plavalni tečaj" in home
    assert f"/app/programmes/sessions/{session.pk}/attendance/" in home
    analyst_home = login(make_member("analyst", org_a)).get("/app/").content.decode()
    assert "Plavalni tečaj" not in analyst_home


def test_saving_a_group_s_attendance_costs_the_same_statements_for_5_or_25(
    login, coordinator, activation, make_woman
):
    activation.capacity = 40
    activation.save()
    activity = activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={"kind": "group", "title": "Skupina"},
        plan={"first_day": TODAY, "starts": datetime.time(0, 5), "ends": datetime.time(1)},
    )
    session = activity.sessions.get()
    client = login(coordinator)
    url = f"/app/programmes/sessions/{session.pk}/attendance/"
    group, statements = [], []
    for size in (5, 25):
        group += services.enrol(
            member=coordinator,
            programme=activation,
            persons=[make_woman() for _ in range(size - len(group))],
        )
        data = {f"presence-{e.pk}": "present" for e in group}
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, data).status_code == 302
        statements.append(len(captured.captured_queries))
    assert Attendance.objects.filter(session=session).count() == 25
    assert statements[0] == statements[1]
