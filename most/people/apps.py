from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "most.people"
    label = "people"
