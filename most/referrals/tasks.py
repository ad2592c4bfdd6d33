from django_tasks import task

from most.jobs.schedule import daily, hourly, periodic, schedule_next

from .services import notifications_forget, reminders_send


@periodic(hourly(minute=5))
@task()
def send_referral_reminders():
    """Every hour: remind the receivers of referrals waiting past the promised response time,
    and their coordinators of those waiting twice as long."""
    schedule_next(send_referral_reminders)
    return reminders_send()


@periodic(daily(hour=4))
@task()
def forget_old_notices():
    """Every night: delete the notices older than half a year."""
    schedule_next(forget_old_notices)
    return notifications_forget()
