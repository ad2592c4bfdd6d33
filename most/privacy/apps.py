from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "most.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from most.audit.personal_data import register

        from .models import SubjectRequest
        from .services import subject_requests_erase

        register(
            SubjectRequest,
            person="person",
            purpose=_("Answering the person's requests about their data"),
            categories=_("Requests, their dates and answers"),
            legal_basis=_("Legal obligation (GDPR Art. 12 to 22)"),
            retention=_("Kept as proof of the answer; notes removed on erasure"),
            fields=(
                "kind",
                "received_on",
                "due_on",
                "extended_because",
                "state",
                "note",
                "outcome",
                "closed_at",
            ),
            erase=subject_requests_erase,
        )
