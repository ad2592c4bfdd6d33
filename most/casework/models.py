"""Individual support: needs assessed by integration domain, the integration plan, counselling,
psychosocial support and outcomes. Every record belongs to the organisation that keeps the
person's record; psychosocial records are for its counsellors only (casework.policy)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from most.accounts.models import Organisation
from most.people.models import Person
from most.people.taxonomy import CefrLevel, Language

from .taxonomy import (
    ActionStatus,
    CounsellingKind,
    Domain,
    GoalStatus,
    MhpssLevel,
    Need,
    OutcomeKind,
    PsychosocialFactor,
)


class Record(models.Model):
    """What every casework record has: whose, kept by which organisation, written by whom."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class Assessment(Record):
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["person", "assessed_on"], name="assessment_person")]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.assessed_on}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("domain"), max_length=40, choices=Domain.choices)
    need = models.PositiveSmallIntegerField(_("need"), choices=Need.choices)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_once_per_domain")
        ]
        verbose_name = _("score of a domain")
        verbose_name_plural = _("scores of domains")

    def __str__(self):
        return f"{self.get_domain_display()}: {self.need}"


class Goal(Record):
    """A goal of the person's integration plan."""

    domain = models.CharField(_("domain"), max_length=40, choices=Domain.choices, blank=True)
    title = models.CharField(_("goal"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["person", "status"], name="goal_person")]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title


class GoalAction(models.Model):
    """A step towards a goal, and who takes it: someone of the organisation or a partner
    organisation of the network."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(pgettext_lazy("plan", "action"), max_length=300)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    class Meta:
        ordering = ["goal", "due_on", "pk"]
        verbose_name = pgettext_lazy("plan", "action")
        verbose_name_plural = pgettext_lazy("plan", "actions")

    def __str__(self):
        return self.description


class CounsellingSession(Record):
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    kind = models.CharField(_("kind"), max_length=12, choices=CounsellingKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    interpreter_present = models.BooleanField(_("an interpreter was present"), default=False)
    mediator_present = models.BooleanField(_("a mediator was present"), default=False)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["person", "held_on"], name="counselling_person")]
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.held_on}"


class PsychosocialRecord(Record):
    """Psychosocial support: the IOM model's factors at play, the MHPSS level of the support,
    and notes only the organisation's counsellors read."""

    recorded_on = models.DateField(_("date"))
    factors = models.JSONField(_("factors"), default=list, blank=True)
    level = models.PositiveSmallIntegerField(_("level of support"), choices=MhpssLevel.choices)
    notes = models.TextField(_("notes"), max_length=8000, blank=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["person", "recorded_on"], name="psychosocial_person")]
        verbose_name = _("psychosocial support record")
        verbose_name_plural = _("psychosocial support records")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.recorded_on}"

    @property
    def factor_labels(self):
        return [PsychosocialFactor(code).label for code in self.factors]


class Outcome(Record):
    """What changed for the person: a job (and its employer, an organisation of the network or
    named), education, a Slovenian level, a child's progress at school."""

    kind = models.CharField(_("outcome"), max_length=12, choices=OutcomeKind.choices)
    achieved_on = models.DateField(_("date"))
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer in the network"),
    )
    employer_name = models.CharField(_("other employer"), max_length=200, blank=True)
    detail = models.CharField(_("what"), max_length=300, blank=True)
    slovenian_level = models.CharField(
        _("Slovenian level"), max_length=6, choices=CefrLevel.choices, blank=True
    )

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        indexes = [models.Index(fields=["person", "achieved_on"], name="outcome_person")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="language") | ~Q(slovenian_level=""),
                name="language_outcome_has_level",
            ),
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.achieved_on}"
