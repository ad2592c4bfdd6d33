"""Who handles the data subjects' requests: the data protection contact of the organisation that
keeps the record (its administrator), for that organisation's persons only."""

from most.accounts.policy import Action, can
from most.people.models import Person

from .models import SubjectRequest


def can_handle_requests(member) -> bool:
    return can(member, Action.DATA_PROTECTION)


def requests_handled_by(member):
    if not can_handle_requests(member):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation=member.organisation_id)


def persons_handled_by(member):
    """The organisation's persons, restricted ones included, erased ones too (their requests
    stay in the history)."""
    if not can_handle_requests(member):
        return Person.objects.none()
    return Person.objects.filter(organisation=member.organisation_id)


def can_erase(member, person) -> bool:
    return can_handle_requests(member) and person.organisation_id == member.organisation_id
