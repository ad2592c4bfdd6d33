"""Reference lists of the registry, seeded from the network's shared taxonomies.

Codes are stable keys stored in the database; labels are translated through the catalogue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceStatus(models.TextChoices):
    """Residence status in Slovenia (Aliens Act, International and Temporary Protection Acts)."""

    SI_CITIZEN = "SI_CITIZEN", _("Slovenian citizen")
    EU_CITIZEN = "EU_CITIZEN", _("Citizen of an EU/EEA state or Switzerland")
    TEMP_RESIDENCE = "TEMP_RESIDENCE", _("Temporary residence permit")
    TEMP_SINGLE_PERMIT = "TEMP_SINGLE_PERMIT", _("Single permit for residence and work")
    TEMP_EU_BLUE_CARD = "TEMP_EU_BLUE_CARD", _("EU Blue Card")
    TEMP_FAMILY_REUNIFICATION = (
        "TEMP_FAMILY_REUNIFICATION",
        _("Temporary residence permit for family reunification"),
    )
    TEMP_FAMILY_MEMBER_OF_SI_EEA = (
        "TEMP_FAMILY_MEMBER_OF_SI_EEA",
        _("Residence permit for a family member (of a Slovenian or EEA citizen)"),
    )
    PERMANENT_RESIDENCE = "PERMANENT_RESIDENCE", _("Permanent residence permit")
    IP_APPLICANT = "IP_APPLICANT", _("Applicant for international protection")
    IP_REFUGEE = "IP_REFUGEE", _("Refugee status")
    IP_SUBSIDIARY = "IP_SUBSIDIARY", _("Subsidiary protection status")
    TP_APPLICANT = "TP_APPLICANT", _("Applicant for temporary protection")
    TP_BENEFICIARY = (
        "TP_BENEFICIARY",
        _("Person with temporary protection status (displaced persons from Ukraine)"),
    )
    PERMISSION_TO_STAY = (
        "PERMISSION_TO_STAY",
        _("Permission to stay (tolerated stay; removal postponed)"),
    )
    NO_REGULAR_STATUS = "NO_REGULAR_STATUS", _("No regular status / irregular stay")
    UNKNOWN = "UNKNOWN", _("Not known / not recorded")


class Vulnerability(models.TextChoices):
    """Vulnerabilities, one list: the EU reception directives' (RCD 2013/33/EU Art. 21, recast
    2024/1346 Art. 24) and the UNHCR specific needs that add to them.

    Where a UNHCR category says the same as a directive's, only the directive's is kept
    (MERGED_INTO); being a minor follows from the date of birth (Person.is_minor_on), so it is
    never ticked by hand.
    """

    UNACCOMPANIED_MINOR = "RCD.UNACCOMPANIED_MINOR", _("Unaccompanied or separated child")
    CHILD_AT_RISK = "UNHCR.CR", _("Child at risk")
    SINGLE_PARENT = "RCD.SINGLE_PARENT", _("Single parent or caregiver with minor children")
    FAMILY_UNITY = "UNHCR.FU", _("Separated from family members (family unity)")
    DISABILITY = "RCD.DISABILITY", _("Person with a disability")
    SERIOUS_ILLNESS = "RCD.SERIOUS_ILLNESS", _("Serious illness or medical condition")
    MENTAL_DISORDER = "RCD.MENTAL_DISORDER", _("Person with a mental disorder")
    PREGNANT = "RCD.PREGNANT", _("Pregnant or breastfeeding")
    ELDERLY = "RCD.ELDERLY", _("Older person")
    TORTURE_RAPE_VIOLENCE = (
        "RCD.TORTURE_RAPE_VIOLENCE",
        _("Survivor of torture, rape or other serious psychological, physical or sexual violence"),
    )
    GENDER_BASED_VIOLENCE = "RCD24.GBV", _("Survivor of sexual or gender-based violence")
    FGM = "RCD.FGM", _("Survivor of female genital mutilation")
    CHILD_FORCED_MARRIAGE = (
        "RCD24.CHILD_FORCED_MARRIAGE",
        _("Survivor of child or forced marriage"),
    )
    TRAFFICKING_VICTIM = "RCD.TRAFFICKING_VICTIM", _("Victim of trafficking in human beings")
    BIAS_VIOLENCE = (
        "RCD24.BIAS_VIOLENCE",
        _("Survivor of violence with a sexual, gender, racist or religious motive"),
    )
    WOMAN_AT_RISK = "UNHCR.WR", _("Woman at risk")
    LGBTI = "RCD24.LGBTI", _("Lesbian, gay, bisexual, trans or intersex person")
    LEGAL_PROTECTION = "UNHCR.LP", _("Specific legal and physical protection needs")


# The list as the form shows it: in groups a counsellor scans quickly.
V = Vulnerability
VULNERABILITY_GROUPS = [
    (
        _("Children and family"),
        [V.UNACCOMPANIED_MINOR, V.CHILD_AT_RISK, V.SINGLE_PARENT, V.FAMILY_UNITY],
    ),
    (
        _("Health"),
        [V.DISABILITY, V.SERIOUS_ILLNESS, V.MENTAL_DISORDER, V.PREGNANT, V.ELDERLY],
    ),
    (
        _("Violence and exploitation"),
        [
            V.TORTURE_RAPE_VIOLENCE,
            V.GENDER_BASED_VIOLENCE,
            V.FGM,
            V.CHILD_FORCED_MARRIAGE,
            V.TRAFFICKING_VICTIM,
            V.BIAS_VIOLENCE,
        ],
    ),
    (_("Other protection needs"), [V.WOMAN_AT_RISK, V.LGBTI, V.LEGAL_PROTECTION]),
]

# Codes of the two former lists that say what a code above says.
MERGED_INTO = {
    "UNHCR.SC": V.UNACCOMPANIED_MINOR,
    "UNHCR.SP": V.SINGLE_PARENT,
    "UNHCR.DS": V.DISABILITY,
    "UNHCR.SM": V.SERIOUS_ILLNESS,
    "UNHCR.PREGNANT_LACTATING": V.PREGNANT,
    "UNHCR.ER": V.ELDERLY,
    "UNHCR.TR": V.TORTURE_RAPE_VIOLENCE,
    "UNHCR.SV": V.GENDER_BASED_VIOLENCE,
}
MINOR = "RCD.MINOR"  # derived from the date of birth, no longer stored


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference levels, for Slovenian above all."""

    PRE_A1 = "PRE_A1", _("Pre-A1 (below A1; includes literacy learners)")
    A1 = "A1", _("A1 – Breakthrough (beginner)")
    A2 = "A2", _("A2 – Waystage (elementary)")
    B1 = "B1", _("B1 – Threshold (intermediate)")
    B2 = "B2", _("B2 – Vantage (upper intermediate)")
    C1 = "C1", _("C1 – Effective operational proficiency (advanced)")
    C2 = "C2", _("C2 – Mastery (proficiency)")


class Language(models.TextChoices):
    """Languages staff record and the public pages serve (ISO 639-1, or 639-3 without one)."""

    SLOVENIAN = "sl", _("Slovenian")
    ENGLISH = "en", _("English")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    PERSIAN = "fa", _("Persian (Farsi)")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pashto")
    ALBANIAN = "sq", _("Albanian")
    BOSNIAN = "bs", _("Bosnian")
    SERBIAN = "sr", _("Serbian")
    CROATIAN = "hr", _("Croatian")
    MACEDONIAN = "mk", _("Macedonian")
    TURKISH = "tr", _("Turkish")
    KURDISH = "ku", _("Kurdish")
    URDU = "ur", _("Urdu")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somali")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ITALIAN = "it", _("Italian")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh", _("Chinese")
    HINDI = "hi", _("Hindi")
    BENGALI = "bn", _("Bengali")
    NEPALI = "ne", _("Nepali")


# --- A person's situation over time (dated records, people.models.Situation) -----------------


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("Employed")
    SELF_EMPLOYED = "SELF_EMPLOYED", _("Self-employed")
    UNEMPLOYED_REGISTERED = (
        "UNEMPLOYED_REGISTERED",
        _("Unemployed, registered with the Employment Service"),
    )
    UNEMPLOYED = "UNEMPLOYED", _("Unemployed, not registered")
    INACTIVE = "INACTIVE", _("Inactive (not working and not looking for work)")
    IN_EDUCATION = "IN_EDUCATION", _("In education or training")
    NOT_PERMITTED = "NOT_PERMITTED", _("Not yet permitted to work")
    RETIRED = "RETIRED", _("Retired")


class SocialAssistance(models.TextChoices):
    """What the centre for social work or the employment service pays (ZSVarPre, ZUTD)."""

    NONE = "NONE", _("No assistance")
    FINANCIAL = "FINANCIAL", _("Financial social assistance")
    INCOME_SUPPORT = "INCOME_SUPPORT", _("Income support supplement")
    UNEMPLOYMENT_BENEFIT = "UNEMPLOYMENT_BENEFIT", _("Unemployment benefit")
    CHILD_BENEFIT = "CHILD_BENEFIT", _("Child benefit only")
    OTHER = "OTHER", _("Other assistance")


class EducationLevel(models.TextChoices):
    """Highest education completed, grouped by ISCED 2011 levels."""

    NONE = "NONE", _("No formal education")
    PRIMARY_INCOMPLETE = "PRIMARY_INCOMPLETE", _("Primary school not completed")
    PRIMARY = "PRIMARY", _("Primary school (ISCED 1–2)")
    UPPER_SECONDARY = "UPPER_SECONDARY", _("Upper secondary school (ISCED 3–4)")
    TERTIARY = "TERTIARY", _("Higher education (ISCED 5–6)")
    MASTER = "MASTER", _("Master's degree or doctorate (ISCED 7–8)")


class SchoolLevel(models.TextChoices):
    """Where a child is at school."""

    KINDERGARTEN = "KINDERGARTEN", _("Kindergarten")
    PRIMARY = "PRIMARY", _("Primary school")
    SECONDARY = "SECONDARY", _("Secondary school")
    NOT_ENROLLED = "NOT_ENROLLED", _("Not enrolled")
