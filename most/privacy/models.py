import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GDPR Art. 12(3): a request is answered within one month of its receipt; where it is complex,
# or there are many, the deadline may be extended once by two further months, the person being
# told why within the first month.
ANSWER_WITHIN = relativedelta(months=1)
EXTENSION = relativedelta(months=2)


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy of the data (Art. 15, 20)")
    ERASURE = "erasure", _("Erasure (Art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (Art. 18)")
    RECTIFICATION = "rectification", _("Rectification (Art. 16)")
    OBJECTION = "objection", _("Objection (Art. 21)")


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class SubjectRequest(models.Model):
    """A data subject's request to the organisation that keeps their record."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The person stays (anonymised) after an erasure, so the request keeps pointing at them.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_requests"
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    due_on = models.DateField(_("answer due by"), editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Why the deadline was extended (empty: it was not).
    extended_because = models.CharField(_("deadline extended because"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "state", "due_on"], name="subject_request_open"),
        ]
        verbose_name = _("data subject's request")
        verbose_name_plural = _("data subjects' requests")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self.due_on:
            self.due_on = self.received_on + ANSWER_WITHIN
        super().save(*args, **kwargs)

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.state == RequestState.OPEN and day > self.due_on

    @property
    def days_left(self):
        return (self.due_on - timezone.localdate()).days
