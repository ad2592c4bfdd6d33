"""Every change to programmes and enrolments goes through these functions.

Each checks the policy, validates the whole change before writing any of it, runs in one
transaction and writes the audit trail. Whatever takes or frees a place locks the programme's
row first, so two coordinators can never give away the same last place.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member, changes_between, snapshot
from most.lib.errors import Conflict, NotAllowed
from most.people.models import HouseholdMember
from most.records import save_versioned

from . import eligibility as rules
from . import policy
from .models import (
    ENDED,
    HOLDS_A_PLACE,
    Area,
    Enrolment,
    EnrolmentPhase,
    EnrolmentStatus,
    Phase,
    Programme,
)

PROGRAMME_FIELDS = ("name", "description", "target_group", "capacity", "starts_on", "ends_on")
S = EnrolmentStatus

# Who may move an enrolment from one status to another by hand. A waiting person gets a place
# when one frees (`_offer_free_places`); a drop-out always names its reason.
TRANSITIONS = {
    S.APPLIED: {S.ACTIVE, S.DROPPED_OUT},
    S.WAITLISTED: {S.ACTIVE, S.DROPPED_OUT},
    S.ACTIVE: {S.PAUSED, S.COMPLETED, S.DROPPED_OUT},
    S.PAUSED: {S.ACTIVE, S.COMPLETED, S.DROPPED_OUT},
    S.COMPLETED: set(),
    S.DROPPED_OUT: set(),
}


def _conflict_message():
    return _("Somebody else changed this meanwhile. Reload and try again.")


# --- Programmes -------------------------------------------------------------------------------


def _check_programme(programme, phases, areas):
    errors = {}
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        errors["ends_on"] = _("A programme cannot end before it starts.")
    if programme.capacity == 0:
        errors["capacity"] = _("A programme needs at least one place; leave empty for no limit.")
    if not phases:
        errors["phases"] = _("A programme has at least one phase.")
    names = [name for name, _weeks in phases]
    if len(set(names)) != len(names):
        errors["phases"] = _("Two phases have the same name.")
    if len({area.casefold() for area in areas}) != len(areas):
        errors["areas"] = _("Two areas of concern have the same name.")
    try:
        programme.full_clean(
            exclude=["organisation", "created_by", "eligibility"], validate_constraints=False
        )
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _write_phases(programme, phases):
    """A phase keeps its identity (and its participants) by its name, wherever it moves; a new
    name takes the place of a phase no longer named; a phase somebody is or was in cannot go."""
    existing = list(programme.phases.all())
    by_name = {phase.name.casefold(): phase for phase in existing}
    kept = {}
    for name, _weeks in phases:
        if phase := by_name.pop(name.casefold(), None):
            kept[name] = phase
    unnamed = [phase for phase in existing if phase.name.casefold() in by_name]
    rows = []
    for name, weeks in phases:
        phase = kept.get(name) or (unnamed.pop(0) if unnamed else Phase(programme=programme))
        phase.name, phase.planned_weeks = name, weeks
        rows.append(phase)
    for phase in unnamed:
        if phase.enrolments.exists() or EnrolmentPhase.objects.filter(phase=phase).exists():
            raise ValidationError(
                {
                    "phases": _("The phase “%(name)s” has participants; it cannot be removed.")
                    % {"name": phase.name}
                }
            )
        phase.delete()
    # Out of the way first: no two phases of a programme share a position, even for a moment.
    Phase.objects.filter(programme=programme).update(position=F("position") + 1000)
    for position, phase in enumerate(rows, start=1):
        phase.position = position
        phase.save()


def _write_areas(programme, areas):
    existing = {area.position: area for area in programme.areas.all()}
    for position, name in enumerate(areas, start=1):
        area = existing.pop(position, None) or Area(programme=programme, position=position)
        area.name = name
        area.save()
    Area.objects.filter(pk__in=[area.pk for area in existing.values()]).delete()


def _audit_values(programme, phases, areas):
    values = snapshot(programme, PROGRAMME_FIELDS)
    values["phases"] = [f"{name} ({weeks or '–'})" for name, weeks in phases]
    values["areas"] = list(areas)
    return values


def programme_create(
    *, member, fields, phases, areas=(), eligibility=None, request=None
) -> Programme:
    """phases: [(name, planned weeks or None)] in order; areas: names of areas of concern;
    eligibility: the rules (default: everybody), refused with the rest when wrong."""
    if not policy.can_manage_programme(member):
        raise NotAllowed(_("You may not set up programmes."))
    programme = Programme(organisation=member.organisation, created_by=member.user, **fields)
    if eligibility is not None:
        programme.eligibility = rules.check(eligibility)
    phases, areas = list(phases), list(areas)
    _check_programme(programme, phases, areas)
    with transaction.atomic():
        programme.save()
        _write_phases(programme, phases)
        _write_areas(programme, areas)
        audit_member(
            member,
            AuditAction.CREATE,
            programme,
            changes=changes_between(
                {},
                {**_audit_values(programme, phases, areas), "eligibility": programme.eligibility},
            ),
            request=request,
        )
    return programme


def programme_update(
    *, member, programme, version, fields, phases, areas=(), request=None
) -> Programme:
    if not policy.can_manage_programme(member, programme):
        raise NotAllowed(_("You may not change this programme."))
    before = _audit_values(
        programme,
        [(phase.name, phase.planned_weeks) for phase in programme.phases.all()],
        [area.name for area in programme.areas.all()],
    )
    for name, value in fields.items():
        setattr(programme, name, value)
    phases, areas = list(phases), list(areas)
    _check_programme(programme, phases, areas)
    with transaction.atomic():
        save_versioned(
            programme, version=version, fields=PROGRAMME_FIELDS, conflict=_conflict_message()
        )
        _write_phases(programme, phases)
        _write_areas(programme, areas)
        audit_member(
            member,
            AuditAction.UPDATE,
            programme,
            changes=changes_between(before, _audit_values(programme, phases, areas)),
            request=request,
        )
        _offer_free_places(member, programme, request)  # more places, fewer waiting
    return programme


def programme_rules_save(*, member, programme, version, rule, request=None) -> Programme:
    """Replace the eligibility rules; a rule that names an unknown field or an impossible value
    is refused here, when saved, never when evaluated."""
    if not policy.can_manage_programme(member, programme):
        raise NotAllowed(_("You may not change this programme."))
    rule = rules.check(rule)
    before = programme.eligibility
    programme.eligibility = rule
    with transaction.atomic():
        save_versioned(
            programme, version=version, fields=("eligibility",), conflict=_conflict_message()
        )
        audit_member(
            member,
            AuditAction.UPDATE,
            programme,
            changes={"eligibility": [before, rule]},
            request=request,
        )
    return programme


# --- Enrolment --------------------------------------------------------------------------------


def places_taken(programme) -> int:
    return Enrolment.objects.filter(programme=programme, status__in=HOLDS_A_PLACE).count()


def free_places(programme) -> int | None:
    """None: no limit."""
    if programme.capacity is None:
        return None
    return max(programme.capacity - places_taken(programme), 0)


def _locked(programme):
    """The programme's row, locked until the transaction ends (PostgreSQL; SQLite writes one at
    a time anyway)."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _start_day(programme, on=None):
    return max(on or timezone.localdate(), programme.starts_on)


def _first_phase(programme):
    return programme.phases.order_by("position").first()


def _give_place(enrolment, programme, on=None):
    """Active from the day (or the programme's first day), in the first phase; the phase's
    record follows once the enrolment is saved (`_open_first_phase`)."""
    enrolment.status = S.ACTIVE
    enrolment.started_on = _start_day(programme, on)
    enrolment.waiting_since = None
    enrolment.phase = _first_phase(programme)


def _open_first_phase(enrolment):
    if enrolment.phase is not None:
        EnrolmentPhase.objects.create(
            enrolment=enrolment, phase=enrolment.phase, started_on=enrolment.started_on
        )


def _refuse_ineligible(programme, persons, day=None):
    refusals = {}
    for person in persons:
        if failed := rules.reasons(programme.eligibility, rules.facts_of(person, day)):
            refusals[person] = failed
    return refusals


def _ineligible_error(refusals):
    lines = []
    for person, failed in refusals.items():
        lines.append(
            _("%(person)s is not eligible: %(reasons)s")
            % {"person": person.latin_name, "reasons": " ".join(failed)}
        )
    return ValidationError(lines, code="not_eligible")


def _audit_enrolment(member, enrolment, changes, request, action=AuditAction.UPDATE):
    audit_member(
        member,
        action,
        enrolment,
        subject_organisation=enrolment.person.organisation,
        person_id=enrolment.person_id,
        changes=changes,
        request=request,
    )


def enrol(*, member, programme, persons, household=None, apply_only=False, note="", request=None):
    """Enrol the persons together (one person, or the eligible members of a household): each must
    be eligible today; they take places if there are enough for all of them, else they wait
    together. apply_only records applications to decide on later. Returns the enrolments."""
    persons = list(persons)
    for person in persons:
        if not policy.can_enrol(member, programme, person):
            raise NotAllowed(_("You may not enrol this person in this programme."))
    if programme.ends_on and programme.ends_on < timezone.localdate():
        raise ValidationError(_("The programme has ended; nobody can join it any more."))
    already = set(
        Enrolment.objects.filter(programme=programme, person__in=persons).values_list(
            "person_id", flat=True
        )
    )
    if already:
        names = ", ".join(p.latin_name for p in persons if p.pk in already)
        raise ValidationError(
            _("Already enrolled in this programme: %(names)s.") % {"names": names},
            code="enrolled",
        )
    if refusals := _refuse_ineligible(programme, persons):
        raise _ineligible_error(refusals)
    with transaction.atomic():
        programme = _locked(programme)
        free = free_places(programme)
        fits = free is None or free >= len(persons)
        now = timezone.now()
        enrolments = []
        try:
            for person in persons:
                enrolment = Enrolment(
                    programme=programme,
                    person=person,
                    household=household,
                    note=note[:300],
                    created_by=member.user,
                    status=S.APPLIED if apply_only else S.WAITLISTED,
                    waiting_since=None if apply_only else now,
                )
                if not apply_only and fits:
                    _give_place(enrolment, programme)
                with transaction.atomic():
                    enrolment.save()
                _open_first_phase(enrolment)
                enrolments.append(enrolment)
        except IntegrityError:
            raise Conflict(
                _("Somebody else enrolled this person meanwhile. Reload the page.")
            ) from None
        for enrolment in enrolments:
            _audit_enrolment(
                member,
                enrolment,
                {"programme": [None, programme.pk], "status": [None, enrolment.status]},
                request,
                AuditAction.CREATE,
            )
    return enrolments


def enrol_household(*, member, programme, household, apply_only=False, request=None):
    """Enrol every eligible member of the household in one step (families are the unit of some
    programmes); members who are not eligible are left out and named. Returns (enrolments,
    {person: reasons} of those left out)."""
    rows = HouseholdMember.objects.filter(household=household).select_related("person")
    members = [
        row.person
        for row in rows
        if policy.can_enrol(member, programme, row.person)
        and not Enrolment.objects.filter(programme=programme, person=row.person).exists()
    ]
    if not members:
        raise ValidationError(_("Nobody of this household is left to enrol in this programme."))
    refusals = _refuse_ineligible(programme, members)
    eligible = [person for person in members if person not in refusals]
    if not eligible:
        raise _ineligible_error(refusals)
    enrolments = enrol(
        member=member,
        programme=programme,
        persons=eligible,
        household=household,
        apply_only=apply_only,
        request=request,
    )
    return enrolments, refusals


def _check_day(enrolment, on):
    today = timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    started = enrolment.started_on or enrolment.applied_on
    if on < started:
        raise ValidationError(
            {"on": _("The date cannot be before %(day)s.") % {"day": started.isoformat()}}
        )


def enrolment_move(
    *, member, enrolment, to, version, reason="", note="", on=None, request=None
) -> Enrolment:
    """Move an enrolment to another status (TRANSITIONS says which moves exist). A place that
    frees is offered to the next eligible person waiting."""
    programme = enrolment.programme
    if not policy.can_enrol(member, programme, enrolment.person):
        raise NotAllowed(_("You may not change this enrolment."))
    to = S(to)
    if to not in TRANSITIONS[S(enrolment.status)]:
        raise ValidationError(
            _("An enrolment that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(enrolment.status).label, "to": to.label},
            code="transition",
        )
    if to == S.DROPPED_OUT and not reason:
        raise ValidationError({"reason": _("Say why the person dropped out.")})
    on = on or timezone.localdate()
    before = snapshot(enrolment, ("status", "phase_id", "dropout_reason", "ended_on"))
    with transaction.atomic():
        programme = _locked(programme)
        frees_a_place = enrolment.status in HOLDS_A_PLACE and to in ENDED
        if to == S.ACTIVE and enrolment.status in (S.APPLIED, S.WAITLISTED):
            if refusals := _refuse_ineligible(programme, [enrolment.person]):
                raise _ineligible_error(refusals)
            free = free_places(programme)
            if free is not None and free < 1:
                if enrolment.status == S.WAITLISTED:
                    raise ValidationError(_("There is no free place; the person keeps waiting."))
                to = S.WAITLISTED  # an application admitted to a full programme waits
                enrolment.waiting_since = timezone.now()
            else:
                _give_place(enrolment, programme, on)
        if to in ENDED:
            _check_day(enrolment, on)
            enrolment.ended_on = on
            EnrolmentPhase.objects.filter(enrolment=enrolment, ended_on__isnull=True).update(
                ended_on=on
            )
        enrolment.status = to
        enrolment.dropout_reason = reason if to == S.DROPPED_OUT else ""
        if note:
            enrolment.note = note[:300]
        save_versioned(
            enrolment,
            version=version,
            fields=(
                "status",
                "started_on",
                "ended_on",
                "waiting_since",
                "phase",
                "dropout_reason",
                "note",
            ),
            conflict=_conflict_message(),
        )
        if enrolment.status == S.ACTIVE and before["status"] in (S.APPLIED, S.WAITLISTED):
            _open_first_phase(enrolment)
        after = snapshot(enrolment, ("status", "phase_id", "dropout_reason", "ended_on"))
        _audit_enrolment(member, enrolment, changes_between(before, after), request)
        if frees_a_place:
            _offer_free_places(member, programme, request)
    return enrolment


def enrolment_next_phase(*, member, enrolment, version, on=None, request=None) -> Enrolment:
    """Close the participant's current phase and open the next one on the day (default today)."""
    if not policy.can_enrol(member, enrolment.programme, enrolment.person):
        raise NotAllowed(_("You may not change this enrolment."))
    if enrolment.status != S.ACTIVE:
        raise ValidationError(_("Only a person taking part moves on to the next phase."))
    on = on or timezone.localdate()
    current = EnrolmentPhase.objects.filter(enrolment=enrolment, ended_on__isnull=True).first()
    following = (
        Phase.objects.filter(
            programme=enrolment.programme_id, position__gt=enrolment.phase.position
        )
        .order_by("position")
        .first()
        if enrolment.phase
        else _first_phase(enrolment.programme)
    )
    if following is None:
        raise ValidationError(_("This is the last phase: mark the participation completed."))
    if current and on < current.started_on:
        raise ValidationError(
            {
                "on": _("The next phase cannot start before the current one (%(day)s).")
                % {"day": current.started_on.isoformat()}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    with transaction.atomic():
        before = enrolment.phase.name if enrolment.phase else None
        enrolment.phase = following
        save_versioned(enrolment, version=version, fields=("phase",), conflict=_conflict_message())
        if current:
            EnrolmentPhase.objects.filter(pk=current.pk).update(ended_on=on)
        EnrolmentPhase.objects.create(enrolment=enrolment, phase=following, started_on=on)
        _audit_enrolment(member, enrolment, {"phase": [before, following.name]}, request)
    return enrolment


NEXT_PHASE = "next_phase"


def enrolment_change(
    *, member, enrolment, to, version, reason="", note="", on=None, request=None
) -> Enrolment:
    """What the participants' list and the API offer: a status (enrolment_move) or the next
    phase (enrolment_next_phase, when `to` is NEXT_PHASE)."""
    if to == NEXT_PHASE:
        return enrolment_next_phase(
            member=member, enrolment=enrolment, version=version, on=on, request=request
        )
    return enrolment_move(
        member=member,
        enrolment=enrolment,
        to=to,
        version=version,
        reason=reason,
        note=note,
        on=on,
        request=request,
    )


def _offer_free_places(member, programme, request):
    """Give the free places to those waiting longest who are still eligible today; a household
    that waits together gets places only together, and when it does not fit the next who fits is
    offered the place. Call inside the transaction that locked the programme."""
    free = free_places(programme)
    if free == 0:
        return []
    waiting = list(
        Enrolment.objects.filter(programme=programme, status=S.WAITLISTED)
        .select_related("person__organisation")
        .order_by("waiting_since", "pk")
    )
    groups = {}
    for enrolment in waiting:
        key = (
            (enrolment.household_id, enrolment.waiting_since)
            if enrolment.household_id
            else (
                None,
                enrolment.pk,
            )
        )
        groups.setdefault(key, []).append(enrolment)
    started = []
    for group in groups.values():
        if free is not None and len(group) > free:
            continue
        if _refuse_ineligible(programme, [enrolment.person for enrolment in group]):
            continue  # no longer eligible: they keep waiting, the coordinator sees why
        for enrolment in group:
            _give_place(enrolment, programme)
            save_versioned(
                enrolment,
                version=enrolment.version,
                fields=("status", "started_on", "waiting_since", "phase"),
                conflict=_conflict_message(),
            )
            _open_first_phase(enrolment)
            _audit_enrolment(
                member,
                enrolment,
                {"status": [S.WAITLISTED, S.ACTIVE], "offered": [None, "free place"]},
                request,
            )
            started.append(enrolment)
        if free is not None:
            free -= len(group)
            if free == 0:
                break
    return started
