from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from most.accounts.models import Organisation
from most.lib import names

from .taxonomy import (
    CefrLevel,
    EducationLevel,
    EmploymentStatus,
    Language,
    ResidenceStatus,
    SchoolLevel,
    SocialAssistance,
    Vulnerability,
)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Not recorded")


# The fields of a person that forms and the API may set, in the order of the record.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "given_name_latin",
    "family_name_latin",
    "birth_date",
    "birth_year",
    "sex",
    "country_of_origin",
    "citizenship",
    "residence_status",
    "residence_valid_from",
    "residence_valid_until",
    "slovenian_level",
    "municipality",
    "address",
    "phone",
    "email",
    "preferred_language",
    "interpreter_needed",
)


# What an access grant may share: the fields of the record, and the languages the person speaks.
SHAREABLE_FIELDS = (*PERSON_FIELDS, "languages")


class Person(models.Model):
    """A migrant registered by one organisation, which owns the record."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    # Names as the person writes them (any script), and their Latin form.
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    given_name_latin = models.CharField(_("given name (Latin letters)"), max_length=100)
    family_name_latin = models.CharField(_("family name (Latin letters)"), max_length=100)
    # Folded "family given" in Latin letters: the alphabetical order of every list.
    sort_name = models.CharField(max_length=210, editable=False)

    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Often only the year is known; when the date is known, the year is its year.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    country_of_origin = CountryField(_("country of origin"), blank=True)
    citizenship = CountryField(_("citizenship"), blank=True)

    residence_status = models.CharField(
        _("residence status"),
        max_length=40,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.UNKNOWN,
    )
    residence_valid_from = models.DateField(_("status valid from"), null=True, blank=True)
    residence_valid_until = models.DateField(_("status valid until"), null=True, blank=True)
    slovenian_level = models.CharField(
        _("Slovenian (CEFR level)"), max_length=6, choices=CefrLevel.choices, blank=True
    )

    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, blank=True
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)

    # Optimistic locking: a save must name the version it started from (see services).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    # The data subject's rights (set by the privacy app's services). An erased person's row
    # stays, anonymised, so that counts by age, sex and country do not change.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # Restricted processing (GDPR Art. 18): frozen, shared with nobody, hidden from lists and
    # search but for the data protection contact.
    restricted_at = models.DateTimeField(_("restricted"), null=True, blank=True, editable=False)
    restriction_reason = models.CharField(
        _("reason for the restriction"), max_length=300, blank=True
    )
    # A legal hold (a court case, an inspection) keeps the record from erasure until it ends.
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=300, blank=True)
    legal_hold_until = models.DateField(_("legal hold until"), null=True, blank=True)

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "sort_name", "id"], name="person_org_sort"),
            models.Index(fields=["organisation", "birth_year"], name="person_org_year"),
            models.Index(fields=["organisation", "phone_digits"], name="person_org_phone"),
            models.Index(fields=["organisation", "municipality"], name="person_org_municipality"),
            # The workspace: residence ending soon, persons registered lately.
            models.Index(
                fields=["organisation", "residence_valid_until"], name="person_org_residence_end"
            ),
            models.Index(fields=["organisation", "created_at"], name="person_org_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="person_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(residence_valid_until__isnull=True)
                | Q(residence_valid_from__isnull=True)
                | Q(residence_valid_until__gte=F("residence_valid_from")),
                name="person_residence_dates_ordered",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("people:detail", args=[self.pk])

    def legal_hold_on(self, day) -> bool:
        return bool(self.legal_hold_reason) and (
            self.legal_hold_until is None or day <= self.legal_hold_until
        )

    @property
    def display_name(self):
        if self.erased_at:
            return str(_("Erased person"))
        return (
            self.native_name
            if not self.native_name_differs
            else (f"{self.native_name} ({self.latin_name})")
        )

    @property
    def native_name(self):
        """The name as the person writes it, in any script."""
        return f"{self.given_name} {self.family_name}"

    @property
    def latin_name(self):
        return f"{self.given_name_latin} {self.family_name_latin}"

    @property
    def residence_status_label(self):
        """As get_residence_status_display(), which translates every choice to look one up:
        the cost of a long list's rows."""
        try:
            return ResidenceStatus(self.residence_status).label
        except ValueError:
            return self.residence_status

    @property
    def native_name_differs(self):
        return (self.given_name, self.family_name) != (
            self.given_name_latin,
            self.family_name_latin,
        )

    @property
    def native_name_language(self):
        """The language to mark the native name with, for screen readers ('' for Latin)."""
        return names.name_language(self.native_name, str(self.country_of_origin or ""))

    def is_minor_on(self, day):
        age = self.age_on(day)
        return age is not None and age < 18

    @property
    def is_minor(self):
        return self.is_minor_on(timezone.localdate())

    def age_on(self, day):
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year:
            return day.year - self.birth_year
        return None


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Also known as")
    SPELLING = "spelling", _("Other spelling")
    PREVIOUS = "previous", _("Previous name")
    BIRTH = "birth", _("Name at birth")


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self):
        return self.name


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_once"),
        ]
        indexes = [models.Index(fields=["language", "person"], name="person_language")]

    def __str__(self):
        return self.get_language_display()


class PersonVulnerability(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    code = models.CharField(_("vulnerability"), max_length=40, choices=Vulnerability.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="person_vulnerability_once"),
        ]

    def __str__(self):
        return self.get_code_display()


class PersonSearchKey(models.Model):
    """One search key of a person: 'f:<folded word>', 's:<skeleton>' or 'p:<phone digits>'.

    Rebuilt by the services on every save; search matches key prefixes with a range scan of the
    index, which behaves the same on SQLite and PostgreSQL whatever the script of the name.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="search_keys", db_index=False
    )
    key = models.CharField(max_length=64)
    # Copies of the person's, so that a search reads its matches, their order and their count
    # from this one index, within the organisation, without visiting the persons.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    sort_name = models.CharField(max_length=210)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "key", "sort_name", "person"], name="person_search_key"
            ),
            # A person's keys, to check a search's further words for one person at a time.
            models.Index(fields=["person", "key"], name="search_key_person"),
        ]

    def __str__(self):
        return self.key


class SearchVariant(models.Model):
    """What a misspelt search word is looked up in: an organisation's names by deletion.

    For every search key of an organisation's persons ('f:kovalenko', 's:kvlnk'), the key itself
    and each form of it with one letter left out ('f:ovalenko', 'f:kvalenko', ...). Two words one
    edit apart (a letter changed, added, left out, or two letters swapped) share such a form, so
    the similar names of a misspelt word are a few exact lookups in one index, however many
    names the registry holds. Kept per organisation, so that a search never tells one
    organisation that a name exists in another's registry; a key's rows go when the
    organisation's last person with that key does (a rename, an erasure).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    variant = models.CharField(max_length=64)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "variant", "key"], name="search_variant_once"
            ),
        ]

    def __str__(self):
        return f"{self.variant} → {self.key}"


class Household(models.Model):
    """A family or other group living together, as one organisation records it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households"
    )
    name = models.CharField(_("household name"), max_length=150)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "name"], name="household_org_name")]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:household", args=[self.pk])


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    RELATIVE = "relative", _("Other relative")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A person lives in one household at a time.
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="head"),
                name="one_head_per_household",
            ),
        ]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.person} ({self.get_relationship_display()})"


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Keeping a record and providing support")
    SHARING = "sharing", _("Sharing data with other organisations of the network (referrals)")
    STATISTICS = "statistics", _("Use in anonymous statistics")
    CONTACT = "contact", _("Being contacted about activities")
    PHOTOS = "photos", _("Photos and recordings at activities")


class ConsentEvidence(models.TextChoices):
    SIGNED_FORM = "signed", _("Signed form")
    VERBAL = "verbal", _("Verbal, with a witness")
    ELECTRONIC = "electronic", _("Electronic confirmation")
    GUARDIAN = "guardian", _("Signed by a parent or guardian")


class Consent(models.Model):
    """A person's consent to one purpose, given to one organisation. Withdrawal ends it at once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    # A consent to sharing may name the one organisation it allows sharing with; empty: any
    # organisation of the network the organisation refers the person to.
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_active": True},
        verbose_name=_("sharing with"),
        help_text=_("For sharing: the one organisation it allows; empty for any of the network."),
    )
    scope = models.CharField(
        _("scope"),
        max_length=300,
        blank=True,
        help_text=_("Which data and which organisations the consent covers."),
    )
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=20, choices=ConsentEvidence.choices)
    evidence_reference = models.CharField(
        _("evidence reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the signed form is kept, or the witness's name."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.CharField(_("withdrawal note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "expires_on"], name="consent_org_expires"),
            # A person's consents (their page, their timeline), whatever the organisation holds.
            models.Index(fields=["person", "organisation"], name="consent_person_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("given_on")),
                name="consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.given_on})"

    def is_valid_on(self, day) -> bool:
        return (
            self.given_on <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )

    @property
    def is_valid_today(self):
        return self.is_valid_on(timezone.localdate())


class GrantReason(models.TextChoices):
    REFERRAL = "referral", _("Accepted referral")
    EMERGENCY = "emergency", _("Time-limited emergency access")


class AccessGrant(models.Model):
    """Lets another organisation see some fields of a person; created and revoked by services."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="access_grants"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_grants")
    fields = models.JSONField(default=list)
    reason = models.CharField(max_length=20, choices=GrantReason.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    valid_until = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "person"], name="grant_org_person"),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.person_id} ({self.reason})"


class SituationKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment status")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    EDUCATION = "education", _("Education level")
    SCHOOL = "school", _("School and grade")


# The codes each kind of situation takes.
SITUATION_VALUES = {
    SituationKind.EMPLOYMENT: EmploymentStatus,
    SituationKind.SOCIAL_ASSISTANCE: SocialAssistance,
    SituationKind.EDUCATION: EducationLevel,
    SituationKind.SCHOOL: SchoolLevel,
}


class Situation(models.Model):
    """One dated fact of a person's situation: "unemployed and registered since 3 March".

    Facts are added, not overwritten, so the situation on any day is the latest fact of each kind
    dated on or before it: eligibility reads today's, outcomes compare the start with the end.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="situations")
    kind = models.CharField(_("kind"), max_length=20, choices=SituationKind.choices)
    since = models.DateField(_("since"))
    value = models.CharField(_("situation"), max_length=40)
    # A child's school: its name and the grade (school year) the child is in.
    school = models.CharField(_("school"), max_length=150, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-since", "-pk"]
        indexes = [
            models.Index(fields=["person", "kind", "since"], name="situation_person_kind"),
        ]
        verbose_name = _("situation")
        verbose_name_plural = _("situations")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value_label} ({self.since})"

    @property
    def value_label(self):
        try:
            return SITUATION_VALUES[self.kind](self.value).label
        except (KeyError, ValueError):
            return self.value
