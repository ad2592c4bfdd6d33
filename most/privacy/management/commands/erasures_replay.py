from django.core.management.base import BaseCommand

from most.privacy.services import erasures_replay


class Command(BaseCommand):
    help = (
        "Erase again the persons the erasure ledger lists (after restoring a backup of the "
        "database made before their erasure). `most serve` runs it before it starts."
    )

    def handle(self, *args, **options):
        again = erasures_replay()
        if again or options["verbosity"] > 1:
            self.stdout.write(f"Erased again from the ledger: {again} person(s).")
