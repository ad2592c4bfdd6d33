"""Who may read and write a person's casework.

Casework stays with the organisation that keeps the person's record: a grant to another
organisation never shows it. Psychosocial support records are for that organisation's
counsellors only: nobody else finds them on a page, in a list, in the timeline, in the API or
in an export of the organisation's data (the person's own export under GDPR Art. 15 has them:
they are the person's).
"""

from most.accounts.policy import Action, can
from most.people import policy as people_policy

from .models import PsychosocialRecord


def can_view_casework(member, person) -> bool:
    return can(member, Action.CASEWORK_VIEW) and people_policy.is_own_record(member, person)


def can_manage_casework(member, person) -> bool:
    return can(member, Action.CASEWORK_MANAGE) and people_policy.can_change_person(member, person)


def can_view_psychosocial(member, person) -> bool:
    return can(member, Action.PSYCHOSOCIAL_VIEW) and people_policy.is_own_record(member, person)


def can_record_psychosocial(member, person) -> bool:
    return can(member, Action.PSYCHOSOCIAL_VIEW) and people_policy.can_change_person(member, person)


def psychosocial_records_visible_to(member, person):
    if not can_view_psychosocial(member, person):
        return PsychosocialRecord.objects.none()
    return PsychosocialRecord.objects.filter(person=person, organisation=member.organisation_id)
