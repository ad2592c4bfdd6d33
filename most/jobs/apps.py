from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "most.jobs"
    verbose_name = "Background jobs"
