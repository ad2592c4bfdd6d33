"""Background work on the catalogue: importing a dataset."""

import csv

from django.core.files.storage import storages
from django.utils.translation import gettext_noop
from django_tasks import task

from most.accounts.policy import membership_by_id
from most.jobs.services import runs_as_job

from . import hsds_import, policy
from .services import catalogue_import

NOT_ALLOWED = gettext_noop("You may no longer import into the catalogue, so nothing was imported.")
IMPORTED = gettext_noop("The dataset was imported. The file counts what was written.")
REFUSED = gettext_noop(
    "Nothing was imported: the dataset has problems. The file lists each with its table, its "
    "line and the reason."
)


@task()
@runs_as_job
def import_catalogue(progress, workdir, *, membership_id, stored, name):
    """Read, check and (when nothing is wrong) write an uploaded HSDS dataset."""
    storage = storages["private"]
    try:
        member = membership_by_id(membership_id)
        if member is None or not policy.can_manage_catalogue(member):
            progress.failed(NOT_ALLOWED)
            return
        with storage.open(stored, "rb") as upload:
            dataset = hsds_import.read(name, upload.read())
        progress.started(len(dataset.rows))
        outcome = catalogue_import(
            dataset=dataset,
            name=name,
            owner=member.organisation,
            actor=member.user,
            progress=progress.advance,
        )
    finally:
        storage.delete(stored)
    report = workdir / ("import-report.csv" if outcome.ok else "import-problems.csv")
    with report.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        if outcome.ok:
            writer.writerow(["table", "records"])
            writer.writerows(outcome.counts.items())
        else:
            writer.writerow(["table", "line", "reason"])
            writer.writerows((p.table, p.line, p.reason) for p in outcome.problems)
    progress.finished(report, report.name, "text/csv", IMPORTED if outcome.ok else REFUSED)
