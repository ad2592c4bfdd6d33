"""Opening hours: HSDS recurrences, in Ljubljana's time, closed on Slovenia's public holidays."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from most.directory.models import Schedule
from most.directory.schedules import is_holiday, open_at, week

LJUBLJANA = ZoneInfo("Europe/Ljubljana")


def at(day, hour, minute=0):
    return datetime.datetime(*day, hour, minute, tzinfo=LJUBLJANA)


def schedule(**fields):
    fields.setdefault("freq", "WEEKLY")
    fields.setdefault("opens_at", datetime.time(9))
    fields.setdefault("closes_at", datetime.time(15))
    return Schedule(**fields)


# 2026-12-02 is a Wednesday; 2026-12-25 a Friday and Christmas.
WEDNESDAY = (2026, 12, 2)


@pytest.mark.parametrize(
    ("fields", "moment", "expected"),
    [
        ({"byday": "MO,WE"}, at(WEDNESDAY, 10), True),
        ({"byday": "MO,WE"}, at(WEDNESDAY, 15), False),  # closes at three
        ({"byday": "MO,WE"}, at(WEDNESDAY, 8, 59), False),
        ({"byday": "TU,TH"}, at(WEDNESDAY, 10), False),
        ({"byday": ""}, at(WEDNESDAY, 10), True),  # every day of the week
        # Every other Wednesday from 25 November: not 2 December, but 9 December.
        (
            {"byday": "WE", "interval": 2, "dtstart": datetime.date(2026, 11, 25)},
            at(WEDNESDAY, 10),
            False,
        ),
        (
            {"byday": "WE", "interval": 2, "dtstart": datetime.date(2026, 11, 25)},
            at((2026, 12, 9), 10),
            True,
        ),
        # The first Wednesday of the month, monthly.
        ({"freq": "MONTHLY", "byday": "1WE"}, at(WEDNESDAY, 10), True),
        ({"freq": "MONTHLY", "byday": "1WE"}, at((2026, 12, 9), 10), False),
        ({"freq": "MONTHLY", "bymonthday": "2,16"}, at(WEDNESDAY, 10), True),
        # Dates of validity.
        ({"byday": "WE", "valid_from": datetime.date(2026, 12, 3)}, at(WEDNESDAY, 10), False),
        ({"byday": "WE", "valid_to": datetime.date(2026, 12, 1)}, at(WEDNESDAY, 10), False),
        ({"byday": "WE", "until": datetime.date(2026, 11, 30)}, at(WEDNESDAY, 10), False),
        # A night shelter: Wednesday 20:00 to Thursday 8:00.
        (
            {"byday": "WE", "opens_at": datetime.time(20), "closes_at": datetime.time(8)},
            at((2026, 12, 3), 7),
            True,
        ),
        (
            {"byday": "WE", "opens_at": datetime.time(20), "closes_at": datetime.time(8)},
            at(WEDNESDAY, 7),
            False,
        ),
        # Christmas falls on a Friday: closed though Friday is a working day.
        ({"byday": "FR"}, at((2026, 12, 25), 10), False),
        ({"byday": "FR"}, at((2026, 12, 18), 10), True),
        # Hours given in another offset from UTC (HSDS `timezone`): 9–15 at UTC+0 is 10–16 here.
        ({"byday": "WE", "timezone": 0}, at(WEDNESDAY, 15, 30), True),
        # No hours, no recurrence: never "open now".
        ({"byday": "WE", "opens_at": None}, at(WEDNESDAY, 10), False),
        ({"freq": "DAILY"}, at(WEDNESDAY, 10), False),
    ],
)
def test_open_at(fields, moment, expected):
    assert open_at(schedule(**fields), moment) is expected


def test_summer_time_keeps_the_local_hours():
    """9–15 on a Monday in July is 7–13 in UTC: the hours are Ljubljana's, whatever the offset."""
    monday_in_july = datetime.datetime(2026, 7, 6, 7, 30, tzinfo=datetime.UTC)
    assert open_at(schedule(byday="MO"), monday_in_july)
    assert not open_at(schedule(byday="MO"), monday_in_july - datetime.timedelta(hours=1))


def test_slovenian_public_holidays():
    assert is_holiday(datetime.date(2026, 2, 8))  # Prešeren Day
    assert is_holiday(datetime.date(2026, 4, 6))  # Easter Monday
    assert is_holiday(datetime.date(2026, 6, 25))  # Statehood Day
    assert not is_holiday(datetime.date(2026, 12, 2))


@given(
    opens=st.integers(min_value=0, max_value=22),
    length=st.integers(min_value=1, max_value=8),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_open_exactly_between_the_hours_on_a_working_day(opens, length, minute):
    closes = min(opens + length, 23)
    every_day = schedule(byday="", opens_at=datetime.time(opens), closes_at=datetime.time(closes))
    moment = at(WEDNESDAY, minute // 60, minute % 60)
    assert open_at(every_day, moment) is (opens * 60 <= minute < closes * 60)


def test_the_week_lists_weekly_hours_by_day():
    morning = schedule(byday="MO,WE", opens_at=datetime.time(9), closes_at=datetime.time(12))
    afternoon = schedule(byday="WE", opens_at=datetime.time(14), closes_at=datetime.time(18))
    monthly = schedule(freq="MONTHLY", byday="1FR")
    days = dict(week([afternoon, morning, monthly]))
    assert [(o.hour, c.hour) for o, c, _s in days[2]] == [(9, 12), (14, 18)]
    assert [(o.hour, c.hour) for o, c, _s in days[0]] == [(9, 12)]
    assert days[4] == []  # a monthly rule is not a weekly hour


@pytest.mark.django_db
def test_every_schedule_is_either_plain_or_not():
    """PLAIN (decided in SQL) and NOT_PLAIN (checked by recurrence) are spelt apart for speed:
    each schedule must fall in exactly one, or open now would miss it or count it twice."""
    from most.directory.schedules import NOT_PLAIN, PLAIN

    variants = [
        {},
        {"interval": 1},
        {"interval": 2},
        {"freq": "MONTHLY", "byday": "1WE"},
        {"freq": "weekly"},
        {"dtstart": datetime.date(2026, 1, 5)},
        {"until": datetime.date(2026, 12, 31)},
        {"count": 10},
        {"timezone": 1.0},
        {"bymonthday": "1,15"},
        {"byweekno": "1"},
        {"byyearday": "100"},
        {"opens_at": datetime.time(20), "closes_at": datetime.time(8)},
        {"opens_at": None, "closes_at": None},
        {"freq": ""},
    ]
    for fields in variants:
        schedule(**{"byday": "MO", **fields}).save()
    plain = set(Schedule.objects.filter(PLAIN).values_list("pk", flat=True))
    other = set(Schedule.objects.filter(NOT_PLAIN).values_list("pk", flat=True))
    assert plain & other == set()
    # A schedule without hours is neither: it is never open now.
    hourless = set(Schedule.objects.filter(opens_at__isnull=True).values_list("pk", flat=True))
    assert plain | other | hourless == set(Schedule.objects.values_list("pk", flat=True))
    assert len(plain) == 3  # every week, interval 1 and lower-case "weekly"
