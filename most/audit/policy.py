"""Who may read the audit trail: the administrator (data protection contact) of an organisation,
for what its own people did and for every read or change of its own records by anyone."""

from most.accounts.policy import Action, can

from .models import AuditEntry


def can_view_audit(member) -> bool:
    return can(member, Action.AUDIT_VIEW)


def audit_streams_visible_to(member) -> list:
    """The entries the member may read, as the two streams they come in: what the organisation's
    people did, and what anyone did to its records (an entry may be in both)."""
    if not can_view_audit(member):
        return []
    return [
        AuditEntry.objects.filter(organisation=member.organisation_id),
        AuditEntry.objects.filter(subject_organisation=member.organisation_id),
    ]
