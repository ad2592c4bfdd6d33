"""A person's situation over time: recording a dated fact, and reading the situation on a day.

Eligibility for programmes reads today's situation (programmes.eligibility); outcomes compare
the situation at a programme's start with the one at its end.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member, changes_between, snapshot
from most.lib.errors import NotAllowed

from . import policy
from .models import SITUATION_VALUES, Situation, SituationKind

SITUATION_FIELDS = ("kind", "since", "value", "school", "grade", "note")
EARLIEST_SITUATION = datetime.date(1950, 1, 1)
HIGHEST_GRADE = 13  # nine of primary school, four of secondary


def situation_record(*, member, person, fields, request=None) -> Situation:
    """Add a dated fact to the person's situation (a correction is a new fact of the same day)."""
    if not policy.can_change_person(member, person):
        raise NotAllowed(_("You may not change this person's record."))
    situation = Situation(person=person, recorded_by=member.user, **fields)
    errors = {}
    values = SITUATION_VALUES.get(situation.kind)
    if values is None:
        errors["kind"] = _("Choose what the fact is about.")
    elif situation.value not in values.values:
        errors["value"] = _("Choose one of the listed situations.")
    if situation.since and situation.since > timezone.localdate():
        errors["since"] = _("A situation cannot start in the future; record it when it begins.")
    elif situation.since and situation.since < EARLIEST_SITUATION:
        errors["since"] = _("Enter a date after %(year)d.") % {"year": EARLIEST_SITUATION.year}
    if situation.kind != SituationKind.SCHOOL and (situation.school or situation.grade):
        errors["school"] = _("A school and a grade belong to a child's school only.")
    if situation.grade is not None and not 1 <= situation.grade <= HIGHEST_GRADE:
        errors["grade"] = _("Enter a grade from 1 to %(last)d.") % {"last": HIGHEST_GRADE}
    if errors:
        raise ValidationError(errors)
    situation.full_clean()
    with transaction.atomic():
        situation.save()
        audit_member(
            member,
            AuditAction.CREATE,
            situation,
            subject_organisation=person.organisation,
            person_id=person.pk,
            changes=changes_between({}, snapshot(situation, SITUATION_FIELDS)),
            request=request,
        )
    return situation


def situation_on(person, day=None) -> dict[str, Situation]:
    """The latest fact of each kind dated on or before the day (default today), by kind."""
    day = day or timezone.localdate()
    current = {}
    for situation in Situation.objects.filter(person=person, since__lte=day).order_by(
        "kind", "-since", "-pk"
    ):
        current.setdefault(situation.kind, situation)
    return current


def situation_summary(person, day=None) -> list[tuple[str, Situation | None]]:
    """Each kind of situation with the person's current fact (None: nothing recorded)."""
    current = situation_on(person, day)
    return [(kind.label, current.get(kind.value)) for kind in SituationKind]


def current_value(kind, day=None, person_ref="pk"):
    """A subquery: the value of the outer person's latest fact of this kind on the day; for
    annotating a list of persons in the same query (NULL where nothing is recorded)."""
    day = day or timezone.localdate()
    latest = Situation.objects.filter(
        person=OuterRef(person_ref), kind=kind, since__lte=day
    ).order_by("-since", "-pk")
    return Subquery(latest.values("value")[:1])


def situation_history(person):
    return Situation.objects.filter(person=person).select_related("recorded_by")
