from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "most.jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from most.audit.personal_data import register_eraser

        from .services import jobs_forget_results

        register_eraser(jobs_forget_results)
