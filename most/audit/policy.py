"""Who may read the audit trail: the administrator (data protection contact) of an organisation,
for what its own people did and for every read or change of its own records by anyone."""

from django.db.models import Q

from most.accounts.policy import Action, can

from .models import AuditEntry


def can_view_audit(member) -> bool:
    return can(member, Action.AUDIT_VIEW)


def audit_entries_visible_to(member):
    if not can_view_audit(member):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(
        Q(organisation=member.organisation_id) | Q(subject_organisation=member.organisation_id)
    )
