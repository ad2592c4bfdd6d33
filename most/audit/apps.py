from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "most.audit"
    label = "audit"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
        from .models import AuditedPerson, AuditEntry
        from .personal_data import register
        from .services import person_audit_export

        common = {
            "purpose": _("Accountability: who read or changed the person's data, and when"),
            "legal_basis": _("Security of processing and accountability (GDPR Art. 5(2), 32)"),
            "retention": _(
                "Entries are kept; erasure makes their personal values unreadable by "
                "destroying the person's key"
            ),
        }
        register(
            AuditEntry,
            person="person_id",
            categories=_("Reads and changes of the record, with the values changed (sealed)"),
            export=person_audit_export,
            **common,
        )
        register(
            AuditedPerson,
            person="person_id",
            categories=_("Which lists and searches showed the person"),
            exported=False,
            **common,
        )
