"""The e-mails that go with a referral's notices. They leave Most, so they name the referral, the
organisations and the service, never the person: the link leads to the referral, behind the
sign-in."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import notice_text

logger = logging.getLogger(__name__)


def subject(referral, kind) -> str:
    return _("Most: %(notice)s") % {"notice": notice_text(referral, kind)}


def body(referral, kind) -> str:
    lines = [notice_text(referral, kind) + "."]
    if referral.service_id:
        lines.append(_("Service: %(service)s") % {"service": referral.service.name})
    lines.append(_("Urgency: %(urgency)s") % {"urgency": referral.get_urgency_display()})
    if kind in ("send", "reminded", "escalated") and referral.due_at:
        day = formats.date_format(timezone.localtime(referral.due_at), "SHORT_DATE_FORMAT")
        lines.append(_("Answer by: %(day)s") % {"day": day})
    lines += [
        "",
        _("Open it in Most (after signing in): %(url)s")
        % {"url": settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])},
        "",
        _("This e-mail does not name the person, for their privacy."),
    ]
    return "\n".join(lines)


def send(referral, kind, addresses) -> None:
    """Send after the referral's change is saved: a mail server that fails loses the e-mail
    (logged), never the change nor the answer to the request; the notice in Most stays."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            send_mail(subject(referral, kind), body(referral, kind), None, sorted(set(addresses)))
        except (OSError, smtplib.SMTPException):
            logger.exception("The e-mail about referral %s (%s) was not sent", referral.pk, kind)
