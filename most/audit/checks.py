from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_master_key_of_its_own(app_configs, **kwargs):
    """The audit trail's master key derived from SECRET_KEY is one secret less to keep apart
    from the database's backups; production sets MOST_AUDIT_KEYS (or MOST_AUDIT_KEYS_FILE)."""
    if getattr(settings, "AUDIT_KEYS_DERIVED", False):
        return [
            Warning(
                "MOST_AUDIT_KEYS is not set: the audit trail's master key is derived from "
                "SECRET_KEY.",
                hint="Set MOST_AUDIT_KEYS (or MOST_AUDIT_KEYS_FILE) to a Fernet key kept apart "
                "from the database and its backups; see docs/data-protection.md.",
                id="most.W001",
            )
        ]
    return []


@register()
def personal_data_registered(app_configs, **kwargs):
    """Every model about a person is registered for the data subject's export and erasure."""
    from .personal_data import unregistered_models

    return [
        Error(
            f"{label} holds data about a person but is not registered in "
            "most.audit.personal_data: its rows would be missing from the export and outlive "
            "an erasure.",
            hint="Register it from the app's personal_data module (see most/people).",
            id="most.E001",
        )
        for label in unregistered_models()
    ]
