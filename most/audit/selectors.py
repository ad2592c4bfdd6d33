from .models import AuditAction, AuditEntry
from .policy import audit_entries_visible_to


def audit_entries(member, *, action="", actor="", person_id=None, day_from=None, day_to=None):
    """The member's view of the audit trail, newest first, filtered."""
    entries = audit_entries_visible_to(member).select_related("actor", "organisation")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__email__startswith=actor.strip().lower())
    if person_id:
        entries = entries.filter(person_id=person_id)
    if day_from:
        entries = entries.filter(at__date__gte=day_from)
    if day_to:
        entries = entries.filter(at__date__lte=day_to)
    return entries.order_by("-at", "-pk")


def persons_recently_viewed_by(member, limit) -> list[int]:
    """The ids of the persons whose records the member opened last, most recent first."""
    recent = (
        AuditEntry.objects.filter(
            actor=member.user_id,
            action=AuditAction.VIEW,
            organisation=member.organisation_id,
            person_id__isnull=False,
        )
        .order_by("-at")
        .values_list("person_id", flat=True)[: limit * 5]
    )
    return list(dict.fromkeys(recent))[:limit]
