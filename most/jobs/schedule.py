"""Work that runs on a schedule (weekly reminders, deleting expired files), with no cron.

A periodic task is enqueued to run at its next time; when it runs, it first enqueues its next run,
so a failure never ends the chain. The worker makes sure, when it starts, that every periodic
task has one run waiting (after a restart, or the first time).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

PERIODIC = {}  # task module path → (task, function giving the next run after a moment)


def periodic(next_run):
    """Register a task (decorate the @task) to run at next_run(now), then again, and so on."""

    def register(task):
        PERIODIC[task.module_path] = (task, next_run)
        return task

    return register


def weekly(weekday, hour):
    """next_run for once a week at the hour, local time (weekday 0 is Monday)."""

    def next_run(after):
        local = after.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        day = local.date() + datetime.timedelta(days=(weekday - local.weekday()) % 7)
        moment = datetime.datetime.combine(day, datetime.time(hour), local.tzinfo)
        return moment if moment > local else moment + datetime.timedelta(days=7)

    return next_run


def daily(hour):
    def next_run(after):
        local = after.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        moment = datetime.datetime.combine(local.date(), datetime.time(hour), local.tzinfo)
        return moment if moment > local else moment + datetime.timedelta(days=1)

    return next_run


def hourly(minute=0):
    def next_run(after):
        moment = after.replace(minute=minute, second=0, microsecond=0)
        return moment if moment > after else moment + datetime.timedelta(hours=1)

    return next_run


def _waiting(task):
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)


@transaction.atomic
def schedule_next(task, now=None):
    """Enqueue the task's next run, unless one is already waiting."""
    _task, next_run = PERIODIC[task.module_path]
    if not _waiting(task).exists():
        task.using(run_after=next_run(now or timezone.now())).enqueue()


def schedule_all(now=None):
    """Make sure every periodic task of every app (its tasks module) has a run waiting."""
    autodiscover_modules("tasks")
    for task, _next_run in PERIODIC.values():
        schedule_next(task, now)
