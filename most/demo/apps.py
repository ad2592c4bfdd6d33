from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "most.demo"
    label = "demo"
