"""The personal data the casework app holds, for the data subject's export and erasure.

A psychosocial record is exported to the person it is about (it is theirs, GDPR Art. 15) and
never copied into the audit trail; erasure removes every free text that could name or describe
the person, and keeps dates, domains, scores, levels and kinds for the counts.
"""

from django.utils.translation import gettext_lazy as _

from most.audit.personal_data import register

from .models import (
    Assessment,
    AssessmentScore,
    CounsellingSession,
    Goal,
    GoalAction,
    Outcome,
    PsychosocialRecord,
)

PURPOSE = _("Individual integration support: assessing needs, planning, counselling")
LEGAL_BASIS = _(
    "Consent (GDPR Art. 6(1)(a), 9(2)(a) for health); a task in the public interest where the "
    "organisation has one by law (Art. 6(1)(e), 9(2)(h))"
)
RETENTION = _("While the person is supported, then until erasure is asked for or due")


def casework_erase(person):
    Assessment.objects.filter(person=person).update(note="")
    AssessmentScore.objects.filter(assessment__person=person).update(notes="")
    Goal.objects.filter(person=person).update(title="–")
    GoalAction.objects.filter(goal__person=person).update(description="–")
    CounsellingSession.objects.filter(person=person).update(summary="")
    PsychosocialRecord.objects.filter(person=person).update(notes="")
    Outcome.objects.filter(person=person).update(detail="", employer_name="")
    return []


def register_casework():
    common = {"purpose": PURPOSE, "legal_basis": LEGAL_BASIS, "retention": RETENTION}
    register(
        Assessment,
        person="person",
        categories=_("Needs assessments by integration domain"),
        erase=casework_erase,
        **common,
    )
    register(
        AssessmentScore,
        person="assessment__person",
        categories=_("The need scored in each domain, with notes"),
        **common,
    )
    register(Goal, person="person", categories=_("The integration plan's goals"), **common)
    register(
        GoalAction,
        person="goal__person",
        categories=_("The plan's actions and who takes them"),
        **common,
    )
    register(
        CounsellingSession,
        person="person",
        categories=_("Counselling sessions: date, length, language, who was present, summary"),
        **common,
    )
    register(
        PsychosocialRecord,
        person="person",
        categories=_("Psychosocial support (special category, Art. 9): factors, level, notes"),
        sensitive=frozenset({"notes", "factors", "level"}),
        **common,
    )
    register(
        Outcome,
        person="person",
        categories=_("Outcomes: jobs and employers, education, Slovenian level, school"),
        **common,
    )
