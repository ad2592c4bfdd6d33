from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "most.workspace"
    verbose_name = "Workspace"
