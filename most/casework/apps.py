from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "most.casework"
    label = "casework"

    def ready(self):
        from most.people.sections import register_section
        from most.people.timeline import register_timeline

        from .personal_data import register_casework
        from .selectors import TIMELINE_WORDS, timeline_rows
        from .views import person_section

        register_casework()
        register_section(person_section)
        register_timeline(timeline_rows, TIMELINE_WORDS)
