"""Programmes an organisation runs, who may join them, and who takes part.

A programme is data a coordinator edits: its areas of concern, its ordered phases, its capacity
and its eligibility rules (programmes.eligibility), so that a new programme needs no code.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from most.accounts.models import Organisation
from most.people.models import Household, Person


def everyone():
    return {"all": []}


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    # Places for persons taking part (active or paused); empty: no limit.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The rules as a tree of conditions (programmes.eligibility), validated when saved.
    eligibility = models.JSONField(_("eligibility rules"), default=everyone)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "name", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_on"], name="programme_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programme_dates_ordered",
            ),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.pk])


class Area(models.Model):
    """An area of concern of a programme ("support for pupils in primary school")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("area of concern"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("area of concern")
        verbose_name_plural = _("areas of concern")

    def __str__(self):
        return self.name


class Phase(models.Model):
    """A part of a programme, in order, with its planned length."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("phase"), max_length=150)
    planned_weeks = models.PositiveSmallIntegerField(_("planned weeks"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="phase_position_once"),
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.name


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITLISTED = "waitlisted", _("On the waiting list")
    ACTIVE = "active", _("Taking part")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


# Who holds a place: a paused participant comes back to it.
HOLDS_A_PLACE = (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)
ENDED = (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT)


class DropoutReason(models.TextChoices):
    EMPLOYMENT = "employment", _("Found a job")
    EDUCATION = "education", _("Went on to education")
    MOVED = "moved", _("Moved away")
    HEALTH = "health", _("Health")
    CARE = "care", _("Family or care duties")
    DECLINED = "declined", _("Declined the place")
    NO_CONTACT = "no_contact", _("No longer in contact")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
    OTHER = "other", _("Other")


class Enrolment(models.Model):
    """A person's place (or wish for one) in a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    # Enrolled with their household (the family programme's unit), which then moves together.
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    # The waiting list's order: who waited first is offered the next free place.
    waiting_since = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    dropout_reason = models.CharField(
        _("reason for dropping out"), max_length=20, choices=DropoutReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], name="enrolment_once_per_programme"
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped_out") | ~Q(dropout_reason=""),
                name="enrolment_dropout_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "waiting_since"], name="enrolment_queue"),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.person} – {self.programme}"


class EnrolmentPhase(models.Model):
    """When a participant was in a phase: the record of their progression."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="phases")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "started_on", "pk"]
        verbose_name = _("phase of a participant")
        verbose_name_plural = _("phases of participants")

    def __str__(self):
        return f"{self.phase} ({self.started_on})"


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    COURSE = "course", _("Course")
    GROUP_SESSION = "group", _("Group session")
    VISIT = "visit", _("Visit")
    SPORT = "sport", _("Sport")
    INFORMATION = "information", _("Information session")
    INDIVIDUAL = "individual", _("Individual help")


class Activity(models.Model):
    """Something a programme does with its participants: a course, a visit to a museum.

    Its group is the programme's participants taking part, or only those in one phase; an
    individual activity is for one participant.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("area of concern"),
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("for the participants in phase"),
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="individual_activities",
        verbose_name=_("for one participant"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_activities",
        verbose_name=_("facilitator"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    # How the sessions were planned ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10"), for the record.
    recurrence = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "title", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:activity", args=[self.pk])


class Session(models.Model):
    """One meeting of an activity. Facilitator and place are the activity's unless a session
    changes them (a substitute, another room), and are kept here so that overlaps are found in
    one indexed query."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["activity", "starts_at"], name="session_activity_start"),
            models.Index(fields=["facilitator", "starts_at"], name="session_facilitator_start"),
            models.Index(fields=["place", "starts_at"], name="session_place_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("attendance"), max_length=8, choices=Presence.choices)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]
        indexes = [models.Index(fields=["enrolment", "session"], name="attendance_enrolment")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.enrolment_id} @ {self.session_id}: {self.presence}"


class CalendarFeed(models.Model):
    """An iCalendar feed behind an unguessable link, for a programme's sessions or for a
    facilitator's; revoked, the link answers nothing. Feeds carry no participant's name."""

    token = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=True) ^ Q(facilitator__isnull=True),
                name="feed_of_a_programme_or_a_facilitator",
            ),
        ]

    def __str__(self):
        return f"feed {self.pk}"
