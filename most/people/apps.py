from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "most.people"
    label = "people"

    def ready(self):
        from .personal_data import register_people

        register_people()
