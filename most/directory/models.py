"""The network's service catalogue, on the Open Referral HSDS 3.0 model.

Every table of the standard is a model here, with the standard's names and UUID ids, so that
the HSDS API (directory.hsds) and the import (directory.hsds_import) map one to one. Links to
objects that a published dataset may leave outside itself (a parent organisation, a parent
taxonomy term) are plain ids, as HSDS has them; links inside the catalogue are foreign keys.

What Most adds: the network member that keeps an organisation's entries current (`owner`),
texts in several languages (`translations`, directory.texts), and a folded copy of a service's
texts for the finder's search (`search_text`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from most.accounts.models import Organisation as Member


def _text(max_length=None):
    if max_length:
        return models.CharField(max_length=max_length, blank=True, default="")
    return models.TextField(blank=True, default="")


def _link(model, related_name):
    """An optional link. A published dataset may point outside itself (the HSDS examples do):
    the id is kept as given, with no constraint in the database, and the record shows under
    whichever of its parents the catalogue holds."""
    return models.ForeignKey(
        model,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        db_constraint=False,
    )


class Record(models.Model):
    """Every HSDS record: a UUID id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, "name", "") or str(self.id)


class Taxonomy(Record):
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(max_length=500, blank=True, default="")
    version = _text(50)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "taxonomies"


class TaxonomyTerm(Record):
    code = _text(100)
    name = models.CharField(max_length=200)
    description = models.TextField()
    # An id: the parent may belong to a taxonomy this catalogue does not hold.
    parent_id = models.UUIDField(null=True, blank=True, db_index=True)
    # The taxonomy's name as text (HSDS `taxonomy`), beside the link to its record.
    taxonomy = _text(200)
    taxonomy_detail = _link(Taxonomy, "terms")
    language = _text(20)
    term_uri = models.URLField(max_length=500, blank=True, default="")
    # The term's name in the interface's languages ({"en": "...", "ar": "..."}).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "id"]


class Organization(Record):
    name = models.CharField(max_length=300)
    alternate_name = _text(300)
    description = models.TextField()
    email = models.EmailField(blank=True, default="")
    website = models.URLField(max_length=500, blank=True, default="")
    tax_status = _text(100)
    tax_id = _text(100)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = _text(200)
    logo = models.URLField(max_length=500, blank=True, default="")
    uri = models.URLField(max_length=500, blank=True, default="")
    parent_organization_id = models.UUIDField(null=True, blank=True)
    # The network member whose staff keep these entries current; none for an entry imported
    # from another catalogue and not adopted by a member.
    owner = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogue_entries",
        verbose_name=_("kept by"),
    )
    translations = models.JSONField(default=dict, blank=True)
    last_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["last_modified"], name="hsds_org_modified")]


class OrganizationIdentifier(Record):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = _text(100)
    identifier_type = models.CharField(max_length=200)
    identifier = models.CharField(max_length=200)


class Program(Record):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(max_length=300)
    alternate_name = _text(300)
    description = models.TextField()

    class Meta:
        ordering = ["name", "id"]


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    DEFUNCT = "defunct", _("defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")


# The working days a provider takes to answer a referral, unless its service says otherwise.
DEFAULT_RESPONSE_DAYS = 5


class Service(Record):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    name = models.CharField(max_length=300)
    alternate_name = _text(300)
    description = _text()
    url = models.URLField(max_length=500, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    status = models.CharField(max_length=20, choices=ServiceStatus.choices)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text(300)
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the owner last confirmed that the entry is right ("last verified"), and who did.
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True, default="")
    licenses = _text()
    alert = _text()
    last_modified = models.DateTimeField(default=timezone.now)
    # The texts' language, and their translations: {"en": {"name": ..., "description": ...}}.
    original_language = models.CharField(max_length=10, default="sl")
    translations = models.JSONField(default=dict, blank=True)
    # Optimistic locking of the owner's edits (most.records); not part of HSDS.
    version = models.PositiveIntegerField(default=1, editable=False)
    # How many working days the provider takes to answer a referral; not part of HSDS.
    response_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Every language's name, description and the organisation's name, folded
    # (most.lib.names.fold), for the finder's search.
    search_text = _text()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["last_modified"], name="hsds_service_modified"),
            models.Index(fields=["organization", "status"], name="hsds_service_org"),
        ]


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("physical")
    POSTAL = "postal", _("postal")
    VIRTUAL = "virtual", _("virtual")


class Location(Record):
    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    url = models.URLField(max_length=500, blank=True, default="")
    organization = _link(Organization, "locations")
    name = _text(300)
    alternate_name = _text(300)
    description = _text()
    transportation = _text()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = _text(200)
    external_identifier_type = _text(100)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "id"]


class ServiceAtLocation(Record):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = _text()

    class Meta:
        ordering = ["service", "id"]


class Address(Record):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = _text(200)
    address_1 = models.CharField(max_length=300)
    address_2 = _text(300)
    city = models.CharField(max_length=100)
    region = _text(100)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=10, choices=LocationType.choices)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["city"], name="hsds_address_city")]


class Contact(Record):
    organization = _link(Organization, "contacts")
    service = _link(Service, "contacts")
    service_at_location = _link(ServiceAtLocation, "contacts")
    location = _link(Location, "contacts")
    name = _text(200)
    title = _text(200)
    department = _text(200)
    email = models.EmailField(blank=True, default="")

    class Meta:
        ordering = ["id"]


class Phone(Record):
    # One number may be the location's, the service's and a contact's at once (HSDS).
    location = _link(Location, "phones")
    service = _link(Service, "phones")
    organization = _link(Organization, "phones")
    contact = _link(Contact, "phones")
    service_at_location = _link(ServiceAtLocation, "phones")
    number = models.CharField(max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = _text(20)
    description = _text()

    class Meta:
        ordering = ["id"]


class Language(Record):
    """A language a service, a location or a phone line can be used in."""

    service = _link(Service, "languages")
    location = _link(Location, "languages")
    phone = _link(Phone, "languages")
    name = _text(100)
    # ISO 639 (two letters where there are, else three), lower-case.
    code = _text(10)
    note = _text()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["code", "service"], name="hsds_language_code")]


class Schedule(Record):
    """Opening hours as an iCalendar recurrence (directory.schedules evaluates them)."""

    service = _link(Service, "schedules")
    location = _link(Location, "schedules")
    service_at_location = _link(ServiceAtLocation, "schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    # Hours from UTC, as HSDS has it; empty: the catalogue's time zone (Europe/Ljubljana).
    timezone = models.FloatField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = _text(2)
    freq = _text(10)
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = _text(100)
    byweekno = _text(200)
    bymonthday = _text(200)
    byyearday = _text(500)
    description = _text()
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True, default="")
    attending_type = _text(300)
    notes = _text()

    class Meta:
        ordering = ["id"]


class ServiceArea(Record):
    service = _link(Service, "service_areas")
    name = _text(300)
    description = _text()
    extent = _text()
    extent_type = _text(20)
    uri = _text(500)

    class Meta:
        ordering = ["id"]


class CostOption(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = _text(300)
    currency = _text(3)
    amount = models.FloatField(null=True, blank=True)
    amount_description = _text(300)

    class Meta:
        ordering = ["id"]


class RequiredDocument(Record):
    service = _link(Service, "required_documents")
    document = _text()
    uri = models.URLField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]


class Funding(Record):
    organization = _link(Organization, "funding")
    service = _link(Service, "funding")
    source = _text()

    class Meta:
        ordering = ["id"]


class Accessibility(Record):
    location = _link(Location, "accessibility")
    description = _text()
    details = _text()
    url = models.URLField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "accessibility"


class Attribute(Record):
    """A taxonomy term given to any record (HSDS links them by id and entity name): a service's
    category, a location's wheelchair access."""

    link_id = models.UUIDField()
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    link_type = _text(100)
    link_entity = _text(50)
    value = _text()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["link_id"], name="hsds_attribute_link"),
            models.Index(fields=["taxonomy_term", "link_entity"], name="hsds_attribute_term"),
        ]


class Metadata(Record):
    """A change to a record, as a publication tells it (HSDS `metadata`)."""

    resource_id = models.UUIDField()
    resource_type = models.CharField(max_length=50)
    last_action_date = models.CharField(max_length=40)
    last_action_type = models.CharField(max_length=50)
    field_name = models.CharField(max_length=100)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["resource_id"], name="hsds_metadata_resource")]


class MetaTableDescription(Record):
    name = _text(200)
    language = _text(20)
    character_set = _text(50)


# --- The catalogue of professionals ----------------------------------------------------------


class ProfessionalRole(models.TextChoices):
    COUNSELLOR = "counsellor", _("Integration counsellor")
    MEDIATOR = "mediator", _("Intercultural mediator")
    INTERPRETER = "interpreter", _("Interpreter")
    TRAINER = "trainer", _("Trainer")
    LEGAL_ADVISER = "legal_adviser", _("Legal adviser")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    TEACHER = "teacher", _("Teacher")


# Slovenia's twelve statistical regions, where a professional works.
REGIONS = (
    "Pomurska",
    "Podravska",
    "Koroška",
    "Savinjska",
    "Zasavska",
    "Posavska",
    "Jugovzhodna Slovenija",
    "Osrednjeslovenska",
    "Gorenjska",
    "Primorsko-notranjska",
    "Goriška",
    "Obalno-kraška",
)
# What a professional may show to the rest of the network, field by field; their name,
# organisation and roles are what being listed means.
SHAREABLE = ("skills", "languages", "qualifications", "regions", "availability", "phone", "email")


class Professional(models.Model):
    """A member of staff in the network's catalogue of professionals: what they can do, in
    which languages and regions, and which of it other organisations may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_profile"
    )
    organisation = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # Comma-framed codes (",mediator,interpreter,") so that one `contains` finds one, on
    # SQLite as on PostgreSQL.
    roles = models.CharField(_("roles"), max_length=200)
    skills = models.TextField(_("skills"), blank=True, max_length=2000)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True, max_length=2000)
    regions = models.CharField(_("regions"), max_length=400, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    listed = models.BooleanField(_("listed for the whole network"), default=True)
    shared = models.JSONField(_("shared with the whole network"), default=list, blank=True)
    # Folded words for the search: of everything (for colleagues), of what is shared.
    own_text = models.TextField(blank=True, editable=False)
    shared_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__full_name", "pk"]
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")

    def __str__(self):
        return self.user.full_name

    @staticmethod
    def framed(codes) -> str:
        return f",{','.join(codes)}," if codes else ""

    @staticmethod
    def unframed(text) -> list:
        return [code for code in (text or "").split(",") if code]
