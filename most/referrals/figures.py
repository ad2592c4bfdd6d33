"""Response times of referrals, for an organisation's coordinators and analysts.

Two sides: what the organisation received (by service: how fast it accepted, completed, how
often it declined and why) and what it sent (by receiving organisation: how its referrals were
answered). Each table is one grouped query over the period; a group of fewer than
statistics.THRESHOLD referrals shows no figure, so that nobody can be singled out.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from most.lib import statistics
from most.lib.statistics import Cell, Table

from . import policy
from .models import DeclineReason, State

PERIODS = {"3": 92, "12": 365, "36": 1096}  # months shown → days
DEFAULT_PERIOD = "12"


@dataclass(frozen=True)
class Row:
    """One group's figures; None where the group is too small to show them."""

    label: str
    sent: int | None
    accepted: int | None
    declined: int | None
    completed: int | None
    days_to_accept: float | None
    days_to_complete: float | None
    on_time: int | None  # per cent answered within the promised response time

    @property
    def declined_share(self):
        if self.sent is None or not self.sent:
            return None
        return round(100 * (self.declined or 0) / self.sent)


def _mean_days(start, end, condition):
    return Avg(ExpressionWrapper(F(end) - F(start), output_field=DurationField()), filter=condition)


def _grouped(referrals, group, label):
    """(rows, the number of referrals in all groups)."""
    accepted = Q(answered_at__isnull=False) & ~Q(state=State.DECLINED)
    rows = (
        referrals.values(*group)
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=accepted),
            declined=Count("pk", filter=Q(state=State.DECLINED)),
            completed=Count("pk", filter=Q(state=State.COMPLETED)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_at__lte=F("due_at"))),
            to_accept=_mean_days("sent_at", "answered_at", accepted),
            to_complete=_mean_days("sent_at", "ended_at", Q(state=State.COMPLETED)),
        )
        .order_by()
    )
    result = []
    total = 0
    for row in rows:
        total += row["n"]
        if row["n"] < statistics.THRESHOLD:
            result.append(Row(label(row), None, None, None, None, None, None, None))
            continue
        result.append(
            Row(
                label=label(row),
                sent=row["n"],
                accepted=row["accepted"],
                declined=row["declined"],
                completed=row["completed"],
                days_to_accept=_in_days(row["to_accept"]),
                days_to_complete=_in_days(row["to_complete"]),
                on_time=round(100 * row["on_time"] / row["answered"]) if row["answered"] else None,
            )
        )
    return sorted(result, key=lambda r: (r.sent is None, -(r.sent or 0), r.label)), total


def _in_days(duration):
    if duration is None:
        return None
    if not isinstance(duration, datetime.timedelta):  # SQLite may give microseconds
        duration = datetime.timedelta(microseconds=duration)
    return round(duration.total_seconds() / 86400, 1)


def _decline_reasons(key, referrals, title):
    counts = dict(
        referrals.filter(state=State.DECLINED)
        .values_list("decline_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labelled = {}
    for code, count in counts.items():
        try:
            name = str(DeclineReason(code).label)
        except ValueError:
            name = _("not given")
        labelled[name] = labelled.get(name, 0) + count
    return Table(key, title, statistics.suppressed(labelled))


def _days_chart(key, title, rows):
    """Mean days to acceptance per group, as a chart (tenths of a day drawn as whole bars)."""
    cells = [
        DaysCell(row.label, row.days_to_accept)
        for row in rows
        if row.sent is None or row.days_to_accept is not None
    ]
    return Table(key, title, cells, unit=_("Mean days"))


@dataclass(frozen=True)
class DaysCell(Cell):
    count: float | None


def referral_figures(member, period=DEFAULT_PERIOD) -> dict:
    period = period if period in PERIODS else DEFAULT_PERIOD
    since = timezone.now() - datetime.timedelta(days=PERIODS[period])
    received, sent = policy.counted_for(member)
    received, sent = received.filter(sent_at__gte=since), sent.filter(sent_at__gte=since)
    by_service, received_total = _grouped(
        received,
        ("service__name",),
        lambda row: row["service__name"] or _("The organisation itself"),
    )
    by_receiver, sent_total = _grouped(sent, ("receiver__name",), lambda row: row["receiver__name"])
    declined_received = _decline_reasons(
        "declined-received", received, _("Referrals we declined, by reason")
    )
    declined_sent = _decline_reasons("declined-sent", sent, _("Our referrals declined, by reason"))
    return {
        "period": period,
        "periods": list(PERIODS),
        "received_total": statistics.suppressed_total(received_total),
        "sent_total": statistics.suppressed_total(sent_total),
        "by_service": by_service,
        "by_receiver": by_receiver,
        "declined_received": declined_received,
        "declined_sent": declined_sent,
        "charts": [
            _days_chart(
                "accept-received",
                _("Mean days from sending to acceptance, by our service"),
                by_service,
            ),
            declined_received,
            _days_chart(
                "accept-sent",
                _("Mean days from sending to acceptance, by receiving organisation"),
                by_receiver,
            ),
            declined_sent,
        ],
    }


COLUMNS = (
    ("sent", gettext_lazy("Referrals")),
    ("accepted", gettext_lazy("Accepted")),
    ("declined", gettext_lazy("Declined")),
    ("declined_share", gettext_lazy("Declined (%)")),
    ("completed", gettext_lazy("Completed")),
    ("days_to_accept", gettext_lazy("Mean days to acceptance")),
    ("days_to_complete", gettext_lazy("Mean days to completion")),
    ("on_time", gettext_lazy("Answered in time (%)")),
)


def export_rows(figures):
    """(header, rows): every group's figures, "<5" where a group is too small to show."""
    below = f"<{statistics.THRESHOLD}"
    header = [_("Table"), _("Group"), *(str(title) for _key, title in COLUMNS)]
    rows = []
    for title, groups in (
        (_("Received, by service"), figures["by_service"]),
        (_("Sent, by receiving organisation"), figures["by_receiver"]),
    ):
        for row in groups:
            values = [getattr(row, key) for key, _title in COLUMNS]
            rows.append(
                [str(title), row.label, *(below if row.sent is None else v for v in values)]
            )
    return header, rows
