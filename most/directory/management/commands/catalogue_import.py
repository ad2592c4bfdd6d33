from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from most.accounts.models import Organisation
from most.directory import hsds_import
from most.directory.services import catalogue_import


class Command(BaseCommand):
    help = (
        "Import an Open Referral HSDS 3.0 dataset into the service catalogue, all or nothing: "
        "the API's JSON (a document, a list, a page or NDJSON lines), a zip of the tabular "
        "package, or the package's folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--owner", help="the network member (organisation name) that keeps the entries"
        )

    def handle(self, *args, path, owner=None, **options):
        if owner is not None:
            found = Organisation.objects.filter(name=owner).first()
            if found is None:
                raise CommandError(f"No organisation is named {owner!r}.")
            owner = found
        if path.is_dir():
            dataset = hsds_import.read_folder(path)
        elif path.is_file():
            dataset = hsds_import.read(path.name, path.read_bytes())
        else:
            raise CommandError(f"{path} is neither a file nor a folder.")
        outcome = catalogue_import(dataset=dataset, name=path.name, owner=owner)
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(outcome.problems)} problem(s).")
        for table, count in outcome.counts.items():
            self.stdout.write(f"{table}: {count}")
