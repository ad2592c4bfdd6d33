"""Referrals between organisations of the network: a person sent by one organisation to a
service (or an organisation) of another, with the person's consent, sharing only the fields the
referral names, and the answer tracked until the outcome.

The states and who may move a referral between them are in workflow.py; what a referral shares
is an access grant of the people app, created on acceptance and revoked when the referral ends.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from most.accounts.models import Organisation
from most.directory.models import Service
from most.people.models import AccessGrant, Consent, Person


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("referral", "Draft")
    SENT = "sent", pgettext_lazy("referral", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral", "Declined")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral", "In progress")
    COMPLETED = "completed", pgettext_lazy("referral", "Completed")
    CLOSED = "closed", pgettext_lazy("referral", "Closed without result")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral", "Withdrawn")


# The receiver has not answered yet or works on it / it is over.
OPEN = (State.SENT, State.ACCEPTED, State.IN_PROGRESS)
ENDED = (State.DECLINED, State.COMPLETED, State.CLOSED, State.WITHDRAWN)


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon (within days)")
    URGENT = "urgent", _("Urgent")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("The person is not eligible for the service")
    NO_CAPACITY = "no_capacity", _("No free places at the moment")
    OUTSIDE_AREA = "outside_area", _("Outside the area the service covers")
    WRONG_SERVICE = "wrong_service", _("Another service fits better")
    DUPLICATE = "duplicate", _("Already referred or already supported")
    OTHER = "other", _("Other reason")


class CloseReason(models.TextChoices):
    NOT_REACHED = "not_reached", _("The person could not be reached")
    DID_NOT_COME = "did_not_come", _("The person did not come")
    PERSON_DECLINED = "person_declined", _("The person no longer wants the service")
    CONSENT_ENDED = "consent_ended", _("The consent was withdrawn or expired")
    MOVED = "moved", _("The person moved away")
    OTHER = "other", _("Other reason")


# What a referral may share: the person's fields of the record, and the languages they speak.
# The name is always shared (people.policy.IDENTITY_FIELDS); the default adds what a service
# needs to contact the person and talk with them.
DEFAULT_FIELDS = ("birth_year", "languages", "phone", "email")


class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    receiver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    # The service of the catalogue the person is referred to; empty for the organisation itself.
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    reason = models.TextField(_("reason for the referral"), max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    note = models.TextField(_("note to the receiver"), max_length=2000, blank=True)
    fields = models.JSONField(_("data shared"), default=list)
    state = models.CharField(_("status"), max_length=12, choices=State.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    grant = models.OneToOneField(
        AccessGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral"
    )
    # The receiver's answer: why it declined or closed, and its feedback on the outcome.
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    close_reason = models.CharField(
        _("reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    feedback = models.TextField(_("feedback to the sender"), max_length=2000, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    # By when the receiver promised to answer (the service's response time, in working days).
    due_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Who on the receiver's side looks after it (the one who accepted it).
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox's tabs, and their counts read from the index alone (with the due day,
            # and the id that PostgreSQL counts): not a row of the receiver's history.
            models.Index(
                fields=["receiver", "state", "sent_at", "due_at"],
                include=["id"],
                name="referral_inbox",
            ),
            models.Index(fields=["sender", "state", "created_at"], name="referral_outbox"),
            models.Index(fields=["person", "created_at"], name="referral_person"),
            # The reminders: what still waits for an answer, by when it was due.
            models.Index(fields=["due_at"], condition=Q(state="sent"), name="referral_waiting_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")), name="referral_to_another_org"
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        return _("Referral %(number)s") % {"number": self.pk}

    @property
    def is_overdue(self):
        return self.state == State.SENT and self.due_at is not None and self.due_at < timezone.now()


class Event(models.Model):
    """One step of a referral: who moved it from which state to which, when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A transition's name (workflow.Transition), or "reminded" / "escalated".
    action = models.CharField(max_length=20)
    state = models.CharField(max_length=12, choices=State.choices)
    note = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event")]
        verbose_name = _("step of a referral")
        verbose_name_plural = _("steps of referrals")

    def __str__(self):
        return f"{self.action} → {self.state}"


# What each notice says, in Most and as an e-mail's subject; it names the referral, the
# organisations and the number, never the person.
NOTICES = {
    "send": _("New referral %(number)s from %(sender)s"),
    "withdraw": _("%(sender)s withdrew referral %(number)s"),
    "reminded": _("Referral %(number)s from %(sender)s waits for your answer"),
    "escalated": _("Referral %(number)s from %(sender)s has waited twice the promised time"),
    "accept": _("%(receiver)s accepted referral %(number)s"),
    "decline": _("%(receiver)s declined referral %(number)s"),
    "start": _("%(receiver)s started work on referral %(number)s"),
    "complete": _("%(receiver)s completed referral %(number)s"),
    "close": _("%(receiver)s closed referral %(number)s without result"),
}


def notice_text(referral, kind) -> str:
    return NOTICES[kind] % {
        "sender": referral.sender.name,
        "receiver": referral.receiver.name,
        "number": referral.pk,
    }


class Notification(models.Model):
    """A message to one member of staff in the workspace. It names the referral, never the
    person: the e-mail that goes with it leaves Most."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    # What happened: a transition's name, "reminded" or "escalated".
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "organisation", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "organisation", "created_at"], name="notification_list"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.referral_id}"

    @property
    def text(self):
        return notice_text(self.referral, self.kind)
