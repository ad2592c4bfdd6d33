from django.core.management.base import BaseCommand

from most.referrals.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind receivers of referrals waiting past the promised response time, and tell their "
        "coordinators of those waiting twice as long (the worker does this every hour)."
    )

    def handle(self, *args, **options):
        reminded, escalated = reminders_send()
        self.stdout.write(f"{reminded} reminded, {escalated} escalated")
