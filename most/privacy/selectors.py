"""What the data protection contact reads: requests and their deadlines, the records of
processing, and everything held about one person (the export)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.personal_data import holdings

from . import policy
from .models import RequestState

EXPORT_FORMAT = "most.subject-export/1"


def open_requests(member):
    """Open requests, the nearest deadline first."""
    return (
        policy.requests_handled_by(member)
        .filter(state=RequestState.OPEN)
        .select_related("person")
        .order_by("due_on", "pk")
    )


def answered_requests(member):
    return (
        policy.requests_handled_by(member)
        .exclude(state=RequestState.OPEN)
        .select_related("person", "closed_by")
        .order_by("-closed_at", "-pk")
    )


def restricted_or_held(member):
    """The organisation's records under restriction or a legal hold."""
    return (
        policy.persons_handled_by(member)
        .filter(erased_at__isnull=True)
        .filter(Q(restricted_at__isnull=False) | ~Q(legal_hold_reason=""))
        .order_by("sort_name", "pk")
    )


def request_for(member, pk):
    return policy.requests_handled_by(member).select_related("person").filter(pk=pk).first()


def person_for(member, pk):
    return policy.persons_handled_by(member).filter(pk=pk).first()


def records_of_processing() -> list[dict]:
    """GDPR Art. 30: one record per kind of data held, generated from the registry."""
    return [
        {
            "label": holding.label,
            "name": str(holding.verbose_name),
            "purpose": str(holding.purpose),
            "categories": str(holding.categories),
            "legal_basis": str(holding.legal_basis),
            "recipients": str(holding.recipients) or _("Nobody outside the organisation"),
            "retention": str(holding.retention),
            "exported": holding.exported,
        }
        for holding in holdings()
    ]


def subject_data(person) -> dict:
    """Everything held about the person, by kind of record (what the export writes)."""
    records, derived = {}, {}
    for holding in holdings():
        if holding.exported:
            records[holding.label] = {
                "title": str(holding.verbose_name),
                "rows": holding.export_rows(person),
            }
        else:
            derived[holding.label] = {
                "title": str(holding.verbose_name),
                "what": str(holding.categories),
                "count": holding.rows_of(person.pk).count(),
            }
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "organisation": person.organisation.name,
        "person_id": person.pk,
        "records": records,
        "derived": derived,
    }


def overdue(subject_request, day: datetime.date | None = None) -> bool:
    return subject_request.is_overdue_on(day or timezone.localdate())
