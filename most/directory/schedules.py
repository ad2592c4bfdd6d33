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


def open_now_filter(moment: datetime.datetime):
    """A Q on Schedule narrowing to those that may be open at the moment (checked exactly by
    open_at afterwards): within their dates, today's weekday or a monthly rule, the time between
    their hours (or an overnight schedule)."""
    local = moment.astimezone(local_zone())
    day, time = local.date(), local.time().replace(tzinfo=None)
    weekday = DAYS[day.weekday()]
    return (
        (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day - datetime.timedelta(days=1)))
        & (Q(freq__iexact="MONTHLY") | Q(byday__icontains=weekday) | Q(byday=""))
        & Q(opens_at__isnull=False, closes_at__isnull=False)
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
