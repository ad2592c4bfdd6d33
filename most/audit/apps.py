from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "most.audit"
    label = "audit"
