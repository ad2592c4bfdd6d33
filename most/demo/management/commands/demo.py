from django.core.management.base import BaseCommand
from django.utils import translation

from most.accounts.models import Organisation
from most.demo.generator import DEMO_PASSWORD, bulk_persons, demo_logins, seed_demo


class Command(BaseCommand):
    help = "Load the demo network (organisations, one user per role, families) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=300,
            help="How many persons to register (default 300, in about a hundred households).",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="Write the persons fast, without households or audit entries (for benchmarks).",
        )

    def handle(self, *args, persons, bulk, **options):
        if bulk:
            organisation = Organisation.objects.order_by("pk").first()
            if organisation is None:
                seed_demo(persons=0)
                organisation = Organisation.objects.order_by("pk").first()
            created = bulk_persons(organisation, persons)
        else:
            created = seed_demo(persons=persons)
        if created:
            self.stdout.write(f"Registered {created} demo persons.")
        else:
            self.stdout.write("Demo data is already loaded.")
        self.stdout.write(f"\nLogins (password for all: {DEMO_PASSWORD})\n")
        with translation.override("en"):  # as the README that tells how to run the demo
            for email, role, organisation in demo_logins():
                self.stdout.write(f"  {role.label:<24} {email:<36} {organisation}")
        self.stdout.write("")
