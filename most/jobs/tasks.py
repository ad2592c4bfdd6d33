from django_tasks import task

from .schedule import daily, periodic, schedule_next
from .services import jobs_expire


@periodic(daily(hour=3))
@task()
def expire_job_results():
    """Every night: delete the files of jobs finished long enough ago."""
    schedule_next(expire_job_results)
    return jobs_expire()
