from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "most.reports"
    label = "reports"
