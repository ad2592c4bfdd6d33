"""Reference lists of casework, seeded from the network's shared taxonomies
(shared/reference/taxonomies.yaml: integration_domains, mhpss_levels, iom_psychosocial_factors).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Domain(models.TextChoices):
    """The integration domains of the Home Office Indicators of Integration framework (2019)."""

    WORK = "HO.WORK", _("Work")
    HOUSING = "HO.HOUSING", _("Housing")
    EDUCATION = "HO.EDUCATION", _("Education")
    HEALTH = "HO.HEALTH_SOCIAL_CARE", _("Health and social care")
    LEISURE = "HO.LEISURE", _("Leisure")
    BONDS = "HO.BONDS", _("Bonds (family and own community)")
    BRIDGES = "HO.BRIDGES", _("Bridges (other groups, the receiving community)")
    LINKS = "HO.LINKS", _("Links (institutions and services)")
    LANGUAGE = "HO.LANGUAGE_COMMUNICATION", _("Language and communication")
    CULTURE = "HO.CULTURE", _("Culture")
    DIGITAL = "HO.DIGITAL_SKILLS", _("Digital skills")
    SAFETY = "HO.SAFETY", _("Safety")
    STABILITY = "HO.STABILITY", _("Stability")
    RIGHTS = "HO.RIGHTS_RESPONSIBILITIES", _("Rights and responsibilities")


class Need(models.IntegerChoices):
    """How much support a domain needs, as the counsellor and the person agree it."""

    URGENT = 1, _("1 – urgent need")
    HIGH = 2, _("2 – high need")
    SOME = 3, _("3 – some need")
    LOW = 4, _("4 – low need")
    NONE = 5, _("5 – managing independently")


class MhpssLevel(models.IntegerChoices):
    """The IASC intervention pyramid (2007); level 1 is the base, level 4 the top."""

    BASIC = 1, _("1 – Basic services and security")
    COMMUNITY = 2, _("2 – Community and family supports")
    FOCUSED = 3, _("3 – Focused, non-specialised supports")
    SPECIALISED = 4, _("4 – Specialised services")


class PsychosocialFactor(models.TextChoices):
    """The four groups of factors of the IOM psychosocial model (IOM MHPSS manual, 2022)."""

    SOCIO_RELATIONAL = "IOM.SOCIO_RELATIONAL", _("Socio-relational")
    SOCIO_ECONOMIC = "IOM.SOCIO_ECONOMIC", _("Socio-economic")
    BIO_PSYCHOLOGICAL = "IOM.BIO_PSYCHOLOGICAL", _("Bio-psychological")
    CULTURAL = "IOM.CULTURAL_ANTHROPOLOGICAL", _("Cultural-anthropological")


class GoalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("goal", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CounsellingKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    GROUP = "group", pgettext_lazy("counselling", "Group")
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")


class OutcomeKind(models.TextChoices):
    JOB = "job", _("A job")
    EDUCATION = "education", _("Education or training")
    LANGUAGE = "language", _("Slovenian level")
    SCHOOL = "school", _("Progress at school")
