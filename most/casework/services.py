"""Every change to a person's casework goes through these functions.

Each checks the policy, validates the whole record before writing it, and writes the audit
trail in the same transaction; a psychosocial record's values are declared sensitive
(casework.personal_data), so the trail says what changed, never what was written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member, changes_between, snapshot
from most.lib.errors import NotAllowed
from most.records import save_versioned

from . import policy
from .models import (
    Assessment,
    AssessmentScore,
    CounsellingSession,
    Goal,
    GoalAction,
    Outcome,
    PsychosocialRecord,
)
from .taxonomy import Domain, GoalStatus, Need, OutcomeKind, PsychosocialFactor

LONGEST_SESSION = 8 * 60


def _not_in_future(errors, field, day):
    if day and day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def _save(member, record, fields, request, extra=None):
    """Validate, save and audit a new record of the person's casework."""
    record.full_clean(exclude=["person", "organisation", "created_by"])
    with transaction.atomic():
        record.save()
        values = snapshot(record, fields)
        values.update(extra or {})
        audit_member(
            member,
            AuditAction.CREATE,
            record,
            person_id=record.person_id,
            changes=changes_between({}, values),
            request=request,
        )
    return record


def _refuse_unless(allowed):
    if not allowed:
        raise NotAllowed(_("You may not write this person's casework."))


def assessment_record(*, member, person, assessed_on, scores, note="", request=None):
    """scores: {domain code: (need 1–5, notes)}; domains left out were not assessed."""
    _refuse_unless(policy.can_manage_casework(member, person))
    errors = {}
    _not_in_future(errors, "assessed_on", assessed_on)
    if not scores:
        errors["scores"] = _("Score at least one domain.")
    if unknown := set(scores) - set(Domain.values):
        errors["scores"] = _("Unknown domains: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
    if any(need not in Need.values for need, _notes in scores.values()):
        errors["scores"] = _("A need is scored from 1 (urgent) to 5 (managing independently).")
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        person=person,
        organisation=member.organisation,
        created_by=member.user,
        assessed_on=assessed_on,
        note=note,
    )
    with transaction.atomic():
        _save(
            member,
            assessment,
            ("assessed_on", "note"),
            request,
            {"scores": {code: need for code, (need, _notes) in sorted(scores.items())}},
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, domain=code, need=need, notes=notes[:1000])
            for code, (need, notes) in scores.items()
        )
    return assessment


def goal_add(*, member, person, fields, request=None) -> Goal:
    _refuse_unless(policy.can_manage_casework(member, person))
    goal = Goal(person=person, organisation=member.organisation, created_by=member.user, **fields)
    return _save(member, goal, ("domain", "title", "due_on", "status"), request)


def goal_set_status(*, member, goal, status, version, request=None) -> Goal:
    _refuse_unless(policy.can_manage_casework(member, goal.person))
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    before = goal.status
    goal.status = status
    with transaction.atomic():
        save_versioned(
            goal,
            version=version,
            fields=("status",),
            conflict=_("Somebody else changed this goal meanwhile. Reload and try again."),
        )
        audit_member(
            member,
            AuditAction.UPDATE,
            goal,
            person_id=goal.person_id,
            changes={"status": [before, status]},
            request=request,
        )
    return goal


def goal_action_add(*, member, goal, fields, request=None) -> GoalAction:
    _refuse_unless(policy.can_manage_casework(member, goal.person))
    action = GoalAction(goal=goal, **fields)
    if (
        action.responsible_user_id
        and not member.organisation.memberships.filter(
            user=action.responsible_user_id, is_active=True
        ).exists()
    ):
        raise ValidationError({"responsible_user": _("Choose a member of your organisation.")})
    action.full_clean(exclude=["goal"])
    with transaction.atomic():
        action.save()
        audit_member(
            member,
            AuditAction.CREATE,
            action,
            person_id=goal.person_id,
            changes=changes_between(
                {},
                snapshot(
                    action,
                    ("description", "responsible_user_id", "responsible_organisation_id", "due_on"),
                ),
            ),
            request=request,
        )
    return action


def counselling_record(*, member, person, fields, request=None) -> CounsellingSession:
    _refuse_unless(policy.can_manage_casework(member, person))
    session = CounsellingSession(
        person=person, organisation=member.organisation, created_by=member.user, **fields
    )
    errors = {}
    _not_in_future(errors, "held_on", session.held_on)
    if session.minutes is not None and not 1 <= session.minutes <= LONGEST_SESSION:
        errors["minutes"] = _("A session lasts from 1 to %(n)d minutes.") % {"n": LONGEST_SESSION}
    if errors:
        raise ValidationError(errors)
    fields = ("held_on", "minutes", "kind", "language", "interpreter_present", "summary")
    return _save(member, session, (*fields, "mediator_present"), request)


def psychosocial_record(*, member, person, fields, request=None) -> PsychosocialRecord:
    if not policy.can_record_psychosocial(member, person):
        raise NotAllowed(_("Only the organisation's counsellors record psychosocial support."))
    record = PsychosocialRecord(
        person=person, organisation=member.organisation, created_by=member.user, **fields
    )
    errors = {}
    _not_in_future(errors, "recorded_on", record.recorded_on)
    if not isinstance(record.factors, list) or set(record.factors) - set(PsychosocialFactor.values):
        errors["factors"] = _("Choose among the listed factors.")
    if errors:
        raise ValidationError(errors)
    return _save(member, record, ("recorded_on", "factors", "level", "notes"), request)


def outcome_record(*, member, person, fields, request=None) -> Outcome:
    _refuse_unless(policy.can_manage_casework(member, person))
    outcome = Outcome(
        person=person, organisation=member.organisation, created_by=member.user, **fields
    )
    errors = {}
    _not_in_future(errors, "achieved_on", outcome.achieved_on)
    if outcome.kind == OutcomeKind.JOB and not (outcome.employer_id or outcome.employer_name):
        errors["employer"] = _("Name the employer: one of the network, or another.")
    if outcome.kind == OutcomeKind.LANGUAGE and not outcome.slovenian_level:
        errors["slovenian_level"] = _("Choose the level reached.")
    if outcome.kind != OutcomeKind.JOB and (outcome.employer_id or outcome.employer_name):
        errors["employer"] = _("An employer belongs to a job only.")
    if errors:
        raise ValidationError(errors)
    fields = ("kind", "achieved_on", "employer_id", "employer_name", "detail", "slovenian_level")
    return _save(member, outcome, fields, request)
