"""Opening hours: HSDS schedules (iCalendar recurrences) evaluated with dateutil's rrule, in the
catalogue's time zone, closed on Slovenia's public holidays.

A schedule says on which days a service is open (`freq` WEEKLY or MONTHLY with `byday`,
`bymonthday`, `byweekno`, `byyearday`, `interval` from `dtstart`, ending at `until` or after
`count`), from `opens_at` to `closes_at`, between `valid_from` and `valid_to`.
"""

import datetime
import functools
from zoneinfo import ZoneInfo

import holidays
from dateutil import rrule
from django.conf import settings
from django.db.models import F, Q

from .models import Schedule

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAYS = {code: getattr(rrule, code) for code in DAYS}
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
# A recurrence without dtstart counts its interval from a fixed Monday.
EPOCH = datetime.date(2024, 1, 1)


def local_zone(schedule=None):
    if schedule is not None and schedule.timezone is not None:
        return datetime.timezone(datetime.timedelta(hours=schedule.timezone))
    return ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=16)
def public_holidays(year: int):
    return holidays.country_holidays("SI", years=year)


def is_holiday(day: datetime.date) -> bool:
    return day in public_holidays(day.year)


def _ints(text):
    return tuple(int(part) for part in (text or "").split(",") if part.strip())


def _byday(text):
    days = []
    for part in (text or "").split(","):
        part = part.strip().upper()
        if not part:
            continue
        code, number = part[-2:], part[:-2]
        if code not in WEEKDAYS:
            continue
        days.append(WEEKDAYS[code](int(number)) if number else WEEKDAYS[code])
    return tuple(days)


def rule(schedule: Schedule):
    """The schedule's days as an rrule, or None when it names no recurrence we can read."""
    freq = FREQUENCIES.get((schedule.freq or "").upper())
    if freq is None:
        return None
    start = schedule.dtstart or schedule.valid_from or EPOCH
    options = {
        "dtstart": datetime.datetime.combine(start, datetime.time()),
        "interval": schedule.interval or 1,
        "wkst": WEEKDAYS.get((schedule.wkst or "MO").upper(), rrule.MO),
    }
    if schedule.until:
        options["until"] = datetime.datetime.combine(schedule.until, datetime.time.max)
    elif schedule.count:
        options["count"] = schedule.count
    weekdays = _byday(schedule.byday)
    if not weekdays and freq == rrule.WEEKLY and not (schedule.dtstart or schedule.valid_from):
        # A weekly schedule that names no day and no first day: every day of the week (with a
        # first day, iCalendar's rule applies: that day's weekday).
        weekdays = tuple(WEEKDAYS.values())
    for name, value in (
        ("byweekday", weekdays),
        ("bymonthday", _ints(schedule.bymonthday)),
        ("byweekno", _ints(schedule.byweekno)),
        ("byyearday", _ints(schedule.byyearday)),
    ):
        if value:
            options[name] = value
    try:
        return rrule.rrule(freq, **options)
    except ValueError:
        return None


def open_on(schedule: Schedule, day: datetime.date) -> bool:
    """Is the schedule's service open at some time on this day (holidays aside)?"""
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    recurrence = rule(schedule)
    if recurrence is None:
        return False
    following = recurrence.after(datetime.datetime.combine(day, datetime.time()), inc=True)
    return following is not None and following.date() == day


def open_at(schedule: Schedule, moment: datetime.datetime) -> bool:
    """Is it open at this moment: a day of the recurrence, not a public holiday, between
    opens_at and closes_at (a closing time at or before the opening time is past midnight)?"""
    local = moment.astimezone(local_zone(schedule))
    day, time = local.date(), local.time().replace(tzinfo=None)
    opens, closes = schedule.opens_at, schedule.closes_at
    if opens is None or closes is None:
        return False
    if closes > opens:
        return opens <= time < closes and _open_day(schedule, day)
    # Overnight: open from the evening of an open day to the morning after.
    if time >= opens:
        return _open_day(schedule, day)
    return time < closes and _open_day(schedule, day - datetime.timedelta(days=1))


def _open_day(schedule, day):
    return not is_holiday(day) and open_on(schedule, day)


def _now_local(moment):
    local = moment.astimezone(local_zone())
    return local.date(), local.time().replace(tzinfo=None)


def _within_dates(day):
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def plainly_open_now(moment: datetime.datetime):
    """A Q on Schedule that is exact for the usual schedule (every week on named days, one
    span of hours in the day, in local time, no first or last day): open at the moment. The
    other schedules (see maybe_open_now) are checked with their recurrence."""
    day, time = _now_local(moment)
    return (
        PLAIN
        & _within_dates(day)
        & (Q(byday__contains=DAYS[day.weekday()]) | Q(byday=""))
        & Q(opens_at__lte=time, closes_at__gt=time)
    )


# Weekly, every week, no first or last day, no other rule, local time, not overnight.
PLAIN = (
    Q(freq__iexact="WEEKLY")
    & (Q(interval__isnull=True) | Q(interval=1))
    & Q(dtstart__isnull=True, until__isnull=True, count__isnull=True, timezone__isnull=True)
    & Q(bymonthday="", byweekno="", byyearday="")
    & Q(opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=F("opens_at"))
)


# PLAIN's opposite spelt out (a negated Q costs SQLite a NULL check on every column).
NOT_PLAIN = (
    ~Q(freq__iexact="WEEKLY")
    | Q(interval__gt=1)
    | Q(dtstart__isnull=False)
    | Q(until__isnull=False)
    | Q(count__isnull=False)
    | Q(timezone__isnull=False)
    | ~Q(bymonthday="")
    | ~Q(byweekno="")
    | ~Q(byyearday="")
    | Q(closes_at__lte=F("opens_at"))
)


def maybe_open_now(moment: datetime.datetime):
    """A Q on Schedule for the schedules plainly_open_now does not decide that may be open at
    the moment (checked exactly with open_at afterwards): monthly ones, every other week, with
    a first day or a count, in another time zone, or past midnight."""
    day, time = _now_local(moment)
    return (
        NOT_PLAIN
        & Q(opens_at__isnull=False, closes_at__isnull=False)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day - datetime.timedelta(days=1)))
        & (
            Q(opens_at__lte=time, closes_at__gt=time)
            | Q(closes_at__lte=F("opens_at"))
            | Q(timezone__isnull=False)
        )
    )


def week(schedules):
    """The opening hours by weekday for a page: [(day index 0–6, [(opens, closes, schedule)])],
    from the schedules that recur weekly; the others are listed apart by the caller."""
    days = {index: [] for index in range(7)}
    for schedule in schedules:
        if (schedule.freq or "").upper() != "WEEKLY" or not schedule.opens_at:
            continue
        weekdays = _byday(schedule.byday)
        if not weekdays:
            first = schedule.dtstart or schedule.valid_from
            weekdays = (WEEKDAYS[DAYS[first.weekday()]],) if first else tuple(WEEKDAYS.values())
        for weekday in weekdays:
            if weekday.n:
                continue
            days[weekday.weekday].append((schedule.opens_at, schedule.closes_at, schedule))
    for hours in days.values():
        hours.sort(key=lambda item: item[0])
    return list(days.items())
