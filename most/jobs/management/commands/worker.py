from django.core.management import call_command
from django.core.management.base import BaseCommand

from most.jobs.schedule import schedule_all


class Command(BaseCommand):
    help = "Run the background worker: queued jobs (exports, imports) and scheduled work."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run what is due now, then stop (for tests)."
        )

    def handle(self, *args, batch, verbosity, **options):
        schedule_all()
        call_command(
            "db_worker",
            batch=batch,
            reload=False,
            verbosity=verbosity,
            queue_name="default",
            interval=1,
            startup_delay=not batch,
        )
