from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "most.referrals"
    label = "referrals"

    def ready(self):
        from most.people.sections import register_section
        from most.people.timeline import register_timeline

        from .personal_data import register_referrals
        from .selectors import TIMELINE_WORDS, timeline_rows
        from .views import person_section

        register_referrals()
        register_section(person_section)
        register_timeline(timeline_rows, TIMELINE_WORDS)
