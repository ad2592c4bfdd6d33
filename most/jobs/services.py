"""Starting long work in the background and reporting how far it is.

A job is started by a service in the request that asks for it; the worker runs its task after the
request's transaction commits. The task reports progress through a `Progress`, and ends by
keeping a file for the member to download (for a limited time) or with a message saying it failed.
"""

import datetime
import functools
import logging
import tempfile
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from most.audit.models import AuditAction
from most.audit.services import audit_member

from .models import Job, JobState

logger = logging.getLogger(__name__)

# Files a job produced (exports with personal data) are kept this long, then deleted.
RESULT_HOURS = 24
FAILED = gettext_noop("The work could not be finished. Try again, or ask your administrator.")


def job_start(*, member, kind, title, task, **arguments) -> Job:
    """Queue the task (its dotted path) as `task(job_id, **arguments)` for the member; it starts
    once this transaction commits. The path, not the task: an app's tasks use its services,
    which start them."""
    job = Job.objects.create(
        kind=kind, title=title, organisation=member.organisation, requested_by=member.user
    )
    transaction.on_commit(lambda: import_string(task).enqueue(job.pk, **arguments))
    return job


class Progress:
    """What a running task reports through: how much is done, and what it produced."""

    # Writing progress costs a statement: at most this often.
    EVERY_SECONDS = 0.5

    def __init__(self, job):
        self.job = job
        self._written_at = None

    def started(self, total=None):
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(state=JobState.RUNNING, total=total, done=0)

    def advance(self, done):
        now = timezone.now()
        if self._written_at and (now - self._written_at).total_seconds() < self.EVERY_SECONDS:
            return
        self._written_at = now
        Job.objects.filter(pk=self.job.pk).update(done=done)

    def finished(self, path: Path, name: str, content_type: str, message: str = ""):
        """Keep the file the job wrote for the member to download; message: what the page says
        of it (a catalogue msgid, translated when shown)."""
        storage = storages["private"]
        with path.open("rb") as content:
            stored = storage.save(f"jobs/{uuid.uuid4().hex}/{name}", File(content))
        Job.objects.filter(pk=self.job.pk).update(
            state=JobState.DONE,
            done=self.job.total or 0,
            result_file=stored,
            result_name=name,
            result_type=content_type,
            message=message,
            finished_at=timezone.now(),
        )

    def failed(self, message=FAILED):
        Job.objects.filter(pk=self.job.pk).update(
            state=JobState.FAILED, message=message, finished_at=timezone.now()
        )


def runs_as_job(function):
    """A task body `function(progress, workdir, **arguments)` that reports to its job.

    It gets a temporary folder for the file it writes; an error marks the job failed (the
    traceback goes to the log, never to the member) and is raised again for the worker's record.
    """

    @functools.wraps(function)
    def run(job_id, **arguments):
        job = Job.objects.filter(pk=job_id).first()
        if job is None:  # deleted meanwhile: nothing to report to
            return
        progress = Progress(job)
        progress.started()
        try:
            with tempfile.TemporaryDirectory(prefix="most-job-") as workdir:
                function(progress, Path(workdir), **arguments)
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            progress.failed()
            raise

    return run


def jobs_expire(now=None) -> int:
    """Delete what finished jobs produced once it is older than RESULT_HOURS, and the jobs."""
    now = now or timezone.now()
    old = Job.objects.filter(finished_at__lt=now - datetime.timedelta(hours=RESULT_HOURS))
    storage = storages["private"]
    for name in old.exclude(result_file="").values_list("result_file", flat=True):
        storage.delete(name)
    deleted, _by_model = old.delete()
    return deleted


def jobs_forget_results(person) -> None:
    """For an erasure: what finished jobs of the person's organisation produced (an export of
    the registry holds many persons, and which ones is not recorded) is deleted, and so are the
    worker's records of finished jobs, whose arguments may hold what was searched."""
    from django_tasks_db.models import DBTaskResult  # only where the database backend is used

    finished = Job.objects.filter(
        organisation=person.organisation_id, state__in=(JobState.DONE, JobState.FAILED)
    )
    storage = storages["private"]
    for name in finished.exclude(result_file="").values_list("result_file", flat=True):
        storage.delete(name)
    finished.delete()
    DBTaskResult.objects.finished().delete()


def job_result_delivered(*, member, job, request=None) -> None:
    """Log that the member fetched what the job produced (an export's delivery)."""
    audit_member(
        member,
        AuditAction.EXPORT,
        job,
        facts={"delivered": job.kind, "file": job.result_name},
        request=request,
    )
