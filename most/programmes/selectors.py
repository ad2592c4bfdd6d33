"""What the programme pages read, each in a fixed number of queries whatever the size."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from most.lib.errors import NotFound
from most.people import policy as people_policy
from most.people.timeline import rows

from . import eligibility, policy
from .models import (
    HOLDS_A_PLACE,
    Attendance,
    DropoutReason,
    Enrolment,
    EnrolmentPhase,
    EnrolmentStatus,
    Presence,
    Programme,
)

PAGE_SIZE = 50


def pk_of(value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    if not 0 < pk < 2**63:
        raise NotFound("not found")
    return pk


def programmes_of(member):
    """The organisation's programmes with their numbers of participants and of persons waiting."""
    return (
        policy.programmes_visible_to(member)
        .annotate(
            taking_part=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_A_PLACE)),
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
        )
        .order_by("-starts_on", "name", "pk")
    )


def programme_for(member, pk) -> Programme:
    programme = (
        programmes_of(member).prefetch_related("phases", "areas").filter(pk=pk_of(pk)).first()
    )
    if programme is None:
        raise NotFound("not found")
    return programme


def enrolments_in(member, programme, status=None):
    enrolments = (
        policy.enrolments_visible_to(member)
        .filter(programme=programme)
        .select_related("person", "phase", "household")
    )
    if status:
        enrolments = enrolments.filter(status=status)
    order = (
        ("waiting_since", "pk")
        if status == EnrolmentStatus.WAITLISTED
        else (
            "person__sort_name",
            "pk",
        )
    )
    return enrolments.order_by(*order)


def status_counts(member, programme) -> dict[str, int]:
    counts = dict(
        policy.enrolments_visible_to(member)
        .filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status.value, 0) for status in EnrolmentStatus}


def enrolment_for(member, pk) -> Enrolment:
    enrolment = (
        policy.enrolments_visible_to(member)
        .select_related("programme", "person__organisation", "phase")
        .prefetch_related(
            Prefetch("phases", queryset=EnrolmentPhase.objects.select_related("phase"))
        )
        .filter(pk=pk_of(pk))
        .first()
    )
    if enrolment is None:
        raise NotFound("not found")
    return enrolment


class CountedUpTo:
    """A list as a paginator reads it, counted up to LIMIT ("more than 1,000": the pages go as
    far). Counting everybody a broad rule admits would evaluate it for the whole registry; a
    page needs only the first who meet it, in the order of the index."""

    LIMIT = 1000

    def __init__(self, queryset):
        self.queryset = queryset
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.queryset[: self.LIMIT + 1].count()
        return min(self._count, self.LIMIT)

    @property
    def capped(self):
        self.count()
        return self._count > self.LIMIT

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return list(self.queryset[index])


def eligible_persons(member, programme, page_number=None):
    """The registry's persons the rules admit today, in alphabetical order, a page at a time;
    each marked when already enrolled; counted up to CountedUpTo.LIMIT."""
    persons = eligibility.eligible(
        programme.eligibility, people_policy.persons_owned_by(member)
    ).annotate(
        enrolled=Exists(Enrolment.objects.filter(programme=programme, person=OuterRef("pk")))
    )
    persons = persons.order_by("sort_name", "pk").only(
        "pk",
        "given_name",
        "family_name",
        "given_name_latin",
        "family_name_latin",
        "birth_date",
        "birth_year",
        "municipality",
        "country_of_origin",
        "organisation_id",
    )
    return Paginator(CountedUpTo(persons), PAGE_SIZE).get_page(page_number)


def eligibility_of(programme, person) -> list[str]:
    """Why the person is not eligible today (empty: eligible)."""
    return eligibility.reasons(programme.eligibility, eligibility.facts_of(person))


def enrolments_of_person(member, person):
    """The person's programmes, for their page."""
    return (
        policy.enrolments_visible_to(member)
        .filter(person=person)
        .select_related("programme", "phase")
        .order_by("-applied_on", "-pk")
    )


# --- The person's timeline ------------------------------------------------------------------


def timeline_rows(member, person):
    """What the person did in the organisation's programmes, as timeline rows."""
    if not policy.can_view_programmes(member):
        return []
    own = {"programme__organisation": member.organisation_id}
    enrolments = Enrolment.objects.filter(person=person, **own)
    # Attendance and phases are read from the person's few enrolments, on their indexes:
    # SQLite's planner would otherwise scan the attendance to join it to them.
    mine = enrolments.values("pk")
    return [
        rows(enrolments, day="applied_on", kind="enrolment.applied", text="programme__name"),
        rows(
            enrolments.filter(started_on__isnull=False),
            day="started_on",
            kind="enrolment.started",
            text="programme__name",
        ),
        rows(
            enrolments.filter(status=EnrolmentStatus.COMPLETED, ended_on__isnull=False),
            day="ended_on",
            kind="enrolment.completed",
            text="programme__name",
        ),
        rows(
            enrolments.filter(status=EnrolmentStatus.DROPPED_OUT, ended_on__isnull=False),
            day="ended_on",
            kind="enrolment.dropped_out",
            text="programme__name",
            detail="dropout_reason",
        ),
        rows(
            EnrolmentPhase.objects.filter(enrolment__in=mine),
            day="started_on",
            kind="phase",
            text="phase__name",
            detail="enrolment__programme__name",
        ),
        rows(
            Attendance.objects.filter(enrolment__in=mine),
            day=TruncDate("session__starts_at"),
            kind="attendance",
            text="session__activity__title",
            detail="presence",
        ),
    ]


def _dropped_out(text, detail):
    try:
        reason = DropoutReason(detail).label
    except ValueError:
        reason = detail
    return _("Dropped out of %(programme)s: %(reason)s") % {"programme": text, "reason": reason}


def _phase(text, detail):
    return _("Phase “%(phase)s” of %(programme)s began") % {"phase": text, "programme": detail}


def _attendance(text, detail):
    try:
        presence = Presence(detail).label
    except ValueError:
        presence = detail
    return f"{text}: {presence}"


TIMELINE_WORDS = {
    "enrolment.applied": lambda text, detail: _("Applied to %(programme)s") % {"programme": text},
    "enrolment.started": lambda text, detail: _("Began %(programme)s") % {"programme": text},
    "enrolment.completed": lambda text, detail: _("Completed %(programme)s") % {"programme": text},
    "enrolment.dropped_out": _dropped_out,
    "phase": _phase,
    "attendance": _attendance,
}
