"""Background work on the registry: exports too large for one request, weekly reminders."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from most.accounts.policy import membership_by_id, memberships_in_service
from most.audit.models import AuditAction
from most.jobs.schedule import periodic, schedule_next, weekly
from most.jobs.services import runs_as_job
from most.lib.spreadsheet import XLSX_TYPE, write_xlsx

from . import policy, selectors, services
from .selectors import PersonQuery

NOT_ALLOWED = gettext_noop("You may no longer export persons, so nothing was exported.")


@task()
@runs_as_job
def export_persons_xlsx(progress, workdir, *, membership_id, query):
    """The persons a search finds, as an XLSX workbook (the same columns as the CSV)."""
    member = membership_by_id(membership_id)
    # Checked again when the job runs: the right may have ended since it was asked for.
    if member is None or not policy.can_export_persons(member):
        progress.failed(NOT_ALLOWED)
        return
    persons = selectors.person_search(member, PersonQuery(**query)).persons
    progress.started(persons.count())
    header, rows = selectors.person_export_rows(persons)
    name = f"persons-{timezone.localdate().isoformat()}.xlsx"
    path = workdir / name
    write_xlsx(path, header, rows, on_row=progress.advance, sheet_title="Persons")
    progress.finished(path, name, XLSX_TYPE)


# How many of each kind one e-mail lists; the rest are counted and one link away.
REMINDERS_PER_EMAIL = 50


@periodic(weekly(weekday=0, hour=7))
@task()
def send_ending_soon_reminders():
    """Every Monday morning: each member who keeps records gets what ends in the next weeks."""
    schedule_next(send_ending_soon_reminders)
    sent = 0
    for member in memberships_in_service():
        if policy.can_see_reminders(member) and ending_soon_email_send(member):
            sent += 1
    return sent


def ending_soon_email_send(member) -> bool:
    """Send the member the list of what ends soon in their organisation (False: nothing does)."""
    residence = selectors.residence_ending(member)
    consents = selectors.consents_ending(member)
    reminders = selectors.reminders_of(
        residence[:REMINDERS_PER_EMAIL], consents[:REMINDERS_PER_EMAIL]
    )
    if not reminders:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "reminders": reminders,
            "residence_count": residence.count(),
            "consent_count": consents.count(),
            "days": selectors.REMINDER_DAYS,
            "site": settings.SITE_URL,
        }
        subject = _("Most: what ends in the next %(days)d days at %(organisation)s") % {
            "days": selectors.REMINDER_DAYS,
            "organisation": member.organisation.name,
        }
        message = EmailMultiAlternatives(
            subject,
            render_to_string("people/email/ending_soon.txt", context),
            to=[member.user.email],
        )
        message.attach_alternative(
            render_to_string("people/email/ending_soon.html", context), "text/html"
        )
    services.persons_shown_audit(
        member=member,
        action=AuditAction.LIST,
        description="weekly e-mail: ending soon",
        personal=False,
        person_ids=[reminder.person_id for reminder in reminders],
        total=len(reminders),
    )
    message.send()
    return True
