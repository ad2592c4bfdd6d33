"""A programme's figures: each table one grouped query, small counts suppressed.

A participant is anybody who took a place in the programme at some time (taking part, paused,
completed or dropped out). Outcomes at completion are those of completed participants dated
from their start to three months after their end.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from most.casework.models import Outcome
from most.casework.taxonomy import OutcomeKind
from most.lib import statistics
from most.lib.errors import NotFound
from most.lib.statistics import Table
from most.people.models import Sex
from most.people.selectors import age_group
from most.programmes.models import (
    Attendance,
    DropoutReason,
    Enrolment,
    EnrolmentStatus,
    Presence,
)

from . import policy

OUTCOME_WINDOW = datetime.timedelta(days=92)
S = EnrolmentStatus


@dataclass(frozen=True)
class Rate:
    """Attendance of an activity: present of recorded, suppressed under the threshold."""

    label: str
    present: int
    recorded: int

    @property
    def suppressed(self):
        return self.recorded < statistics.THRESHOLD

    @property
    def count(self):
        """The rate in whole per cent (what the chart draws); None when suppressed."""
        return None if self.suppressed else round(100 * self.present / self.recorded)


def programme_for(member, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    programme = policy.programmes_with_figures(member).filter(pk=pk).first()
    if programme is None:
        raise NotFound("not found")
    return programme


def _cells(counts, label):
    return [
        statistics.Cell(str(label(cell.label)), cell.count)
        for cell in statistics.suppressed(counts)
    ]


def _choice(choices):
    def label(code):
        try:
            return choices(code).label
        except ValueError:
            return code or _("not recorded")

    return label


def _ages(by_year, year):
    """Participants by age group (the registry's groups), the groups without one left out."""
    ages = {}
    for born, count in by_year.items():
        group = age_group(None if born is None else year - born)
        label = "" if group == "unknown" else group
        ages[label] = ages.get(label, 0) + count
    return {label: count for label, count in ages.items() if count}


def programme_figures(programme) -> dict:
    participants = Enrolment.objects.filter(programme=programme, started_on__isnull=False)

    def grouped(field, queryset=participants):
        return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())

    year = timezone.localdate().year
    by_phase = grouped("phase__name", participants.filter(status__in=(S.ACTIVE, S.PAUSED)))
    attendance = (
        Attendance.objects.filter(session__activity__programme=programme)
        .values("session__activity__title")
        .annotate(
            recorded=Count("pk"),
            present=Count("pk", filter=Q(presence=Presence.PRESENT)),
        )
        .order_by("session__activity__title")
    )
    present_in_area = (
        Attendance.objects.filter(session__activity__programme=programme, presence=Presence.PRESENT)
        .exclude(session__activity__area=None)
        .values("session__activity__area__name")
        .annotate(n=Count("enrolment", distinct=True))
        .order_by()
    )
    completed = participants.filter(status=S.COMPLETED, ended_on__isnull=False)
    outcomes = (
        Outcome.objects.filter(
            Exists(
                completed.filter(
                    person=OuterRef("person"),
                    started_on__lte=OuterRef("achieved_on"),
                    ended_on__gte=ExpressionWrapper(
                        OuterRef("achieved_on") - OUTCOME_WINDOW, output_field=DateField()
                    ),
                )
            )
        )
        .values("kind")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    total = participants.count()
    return {
        "total": statistics.suppressed_total(total),
        "completed": statistics.suppressed_total(completed.count()),
        "tables": [
            Table(
                "phase",
                gettext_lazy("Taking part now, by phase"),
                _cells(by_phase, lambda name: name or _("no phase")),
            ),
            Table(
                "area",
                gettext_lazy("Took part in an area of concern"),
                _cells(
                    {row["session__activity__area__name"]: row["n"] for row in present_in_area}, str
                ),
            ),
            Table(
                "sex",
                gettext_lazy("Participants by sex"),
                _cells(grouped("person__sex"), _choice(Sex)),
            ),
            Table(
                "age",
                gettext_lazy("Participants by age"),
                _cells(
                    _ages(grouped("person__birth_year"), year),
                    lambda label: label or _("not recorded"),
                ),
            ),
            Table(
                "country",
                gettext_lazy("Participants by country of origin"),
                _cells(
                    grouped("person__country_of_origin"),
                    lambda code: countries.name(code) if code else _("not recorded"),
                ),
            ),
            Table(
                "dropout",
                gettext_lazy("Dropped out, by reason"),
                _cells(
                    grouped("dropout_reason", participants.filter(status=S.DROPPED_OUT)),
                    _choice(DropoutReason),
                ),
            ),
            Table(
                "outcome",
                gettext_lazy("Outcomes at completion"),
                _cells({row["kind"]: row["n"] for row in outcomes}, _choice(OutcomeKind)),
            ),
            Table(
                "attendance",
                gettext_lazy("Attendance rate by activity (%)"),
                [
                    Rate(row["session__activity__title"], row["present"], row["recorded"])
                    for row in attendance
                ],
            ),
        ],
    }


def export_rows(figures):
    """Every table as rows (table, label, value) for CSV and XLSX, suppressed cells as "<5"."""
    below = f"<{statistics.THRESHOLD}"
    rows = [(str(_("Participants")), "", below if figures["total"] is None else figures["total"])]
    for table in figures["tables"]:
        for cell in table.cells:
            rows.append((str(table.title), cell.label, below if cell.count is None else cell.count))
    return rows
