"""What the casework pages read: the person's casework in a fixed number of queries."""

from django.db.models import Prefetch
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from most.people.timeline import rows

from . import policy
from .models import (
    Assessment,
    AssessmentScore,
    CounsellingSession,
    Goal,
    GoalAction,
    Outcome,
)
from .taxonomy import CounsellingKind, GoalStatus, MhpssLevel, OutcomeKind


def casework_of(member, person) -> dict:
    """Everything of the person's casework the member may read (own organisation's only)."""
    own = {"person": person, "organisation": member.organisation_id}
    assessments = list(
        Assessment.objects.filter(**own).prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.order_by("domain"))
        )[:5]
    )
    return {
        "assessments": assessments,
        "latest": assessments[0] if assessments else None,
        "goals": list(
            Goal.objects.filter(**own).prefetch_related(
                Prefetch(
                    "actions",
                    queryset=GoalAction.objects.select_related(
                        "responsible_user", "responsible_organisation"
                    ),
                )
            )
        ),
        "counselling": list(
            CounsellingSession.objects.filter(**own).select_related("created_by")[:20]
        ),
        "psychosocial": list(
            policy.psychosocial_records_visible_to(member, person).select_related("created_by")
        ),
        "outcomes": list(Outcome.objects.filter(**own).select_related("employer")),
    }


def timeline_rows(member, person):
    if not policy.can_view_casework(member, person):
        return []
    own = {"person": person, "organisation": member.organisation_id}
    querysets = [
        rows(Assessment.objects.filter(**own), day="assessed_on", kind="assessment"),
        rows(
            Goal.objects.filter(**own),
            day=TruncDate("created_at"),
            kind="goal",
            text="title",
            detail="status",
        ),
        rows(
            CounsellingSession.objects.filter(**own),
            day="held_on",
            kind="counselling",
            text="kind",
            detail="minutes",
        ),
        rows(
            Outcome.objects.filter(**own),
            day="achieved_on",
            kind="outcome",
            text="kind",
            detail="detail",
        ),
    ]
    # Only the counsellors see that there is a psychosocial record at all.
    if policy.can_view_psychosocial(member, person):
        psychosocial = policy.psychosocial_records_visible_to(member, person)
        querysets.append(rows(psychosocial, day="recorded_on", kind="psychosocial", text="level"))
    return querysets


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


TIMELINE_WORDS = {
    "assessment": lambda text, detail: _("Needs assessed"),
    "goal": lambda text, detail: (
        _("Goal set: %(goal)s (%(status)s)") % {"goal": text, "status": _label(GoalStatus, detail)}
    ),
    "counselling": lambda text, detail: (
        _("Counselling, %(kind)s, %(minutes)s min")
        % {"kind": _label(CounsellingKind, text).lower(), "minutes": detail}
    ),
    "outcome": lambda text, detail: f"{_label(OutcomeKind, text)}{': ' + detail if detail else ''}",
    "psychosocial": lambda text, detail: (
        _("Psychosocial support, level %(level)s") % {"level": _label(MhpssLevel, int(text))}
    ),
}
