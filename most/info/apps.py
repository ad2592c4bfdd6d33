from django.apps import AppConfig


class InfoConfig(AppConfig):
    name = "most.info"
    label = "info"
