"""Changing the catalogue: an owner's services, their translations, imports."""

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from most.audit.models import AuditAction
from most.audit.services import audit_member, audit_record, changes_between, snapshot
from most.jobs.services import job_start
from most.lib.errors import NotAllowed
from most.records import save_versioned

from . import categories, finder, hsds_import, policy
from .models import (
    Address,
    Attribute,
    Language,
    Location,
    LocationType,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .selectors import search_text
from .texts import TRANSLATED


def catalogue_import(*, dataset, name, owner=None, actor=None, progress=None):
    """Write a dataset read by hsds_import (all or nothing) and log it; returns the Outcome.
    owner: the network member that keeps the organisations it brings."""
    with transaction.atomic():
        outcome = hsds_import.apply(dataset, owner=owner, progress=progress)
        if outcome.ok:
            transaction.on_commit(finder.forget_open_now)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                organisation=owner,
                object_type="directory.dataset",
                object_repr=name,
                facts={"imported": outcome.counts},
            )
    return outcome


def service_translate(service, language, texts, *, member=None, request=None):
    """Keep the service's texts in another language (a text left empty is dropped). For a
    member, the service must be theirs to change; the demo writes its own."""
    if member is not None and not policy.can_edit_service(member, service):
        raise NotAllowed(_("You may not change this service."))
    if language not in categories.LANGUAGES or language == service.original_language:
        raise ValidationError(_("Not a language the catalogue is translated into."))
    unknown = set(texts) - set(TRANSLATED)
    if unknown:
        raise ValidationError(_("Not a text of a service: %(f)s.") % {"f": ", ".join(unknown)})
    kept = {name: text.strip() for name, text in texts.items() if text and text.strip()}
    translations = dict(service.translations)
    if kept:
        translations[language] = kept
    else:
        translations.pop(language, None)
    with transaction.atomic():
        service.translations = translations
        service.search_text = service_search_text(service)
        service.last_modified = timezone.now()
        service.save(update_fields=["translations", "search_text", "last_modified"])
        if member is not None:
            audit_member(
                member, AuditAction.UPDATE, service, facts={"translated": language}, request=request
            )
    return service


def service_search_text(service):
    texts = [service.name, service.alternate_name, service.description]
    for translated in service.translations.values():
        texts += [translated.get("name"), translated.get("alternate_name")]
        texts.append(translated.get("description"))
    texts.append(service.organization.name)
    return search_text(*texts)


def network_taxonomies_ensure():
    """The network's categories and features, as migration 0002 writes them: for a database
    emptied since (a test's flush)."""
    categories.write(Taxonomy, TaxonomyTerm)


# --- The owner's edits ----------------------------------------------------------------------

SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "status",
    "email",
    "url",
    "application_process",
    "eligibility_description",
    "fees_description",
    "minimum_age",
    "maximum_age",
    "response_days",
)
PLACE_FIELDS = ("address_1", "postal_code", "city", "latitude", "longitude", "transportation")


@dataclass
class Hours:
    days: list  # ["MO", "WE"]
    opens: datetime.time
    closes: datetime.time


def _conflict_message():
    return _(
        "Somebody else saved this service after you opened it. Your changes were not saved: "
        "open it again to see theirs."
    )


def own_organization(member):
    """The catalogue organisation the member's organisation keeps, made on its first service."""
    kept = Organization.objects.filter(owner=member.organisation_id).order_by("name").first()
    if kept is not None:
        return kept
    organisation = member.organisation
    return Organization.objects.create(
        name=organisation.name,
        description=organisation.get_type_display(),
        email=organisation.email,
        owner=organisation,
    )


def service_save(
    *,
    member,
    fields,
    category,
    languages,
    free,
    place,
    wheelchair,
    hours,
    service=None,
    version=None,
    request=None,
):
    """Create or change one of the member's services with its category, the languages spoken
    there, its place and its weekly hours, all or nothing. Saving it is the owner's check that
    it is right (`assured_date`)."""
    if service is None and not policy.can_manage_catalogue(member):
        raise NotAllowed(_("You may not change the service catalogue."))
    if service is not None and not policy.can_edit_service(member, service):
        raise NotAllowed(_("You may not change this service."))
    _check_service(fields, place, hours)
    creating = service is None
    before = {} if creating else snapshot(service, SERVICE_FIELDS)
    with transaction.atomic():
        if creating:
            service = Service(organization=own_organization(member))
        for name in SERVICE_FIELDS:
            setattr(
                service, name, fields.get(name) if fields.get(name) is not None else _empty(name)
            )
        service.assured_date = timezone.localdate()
        service.assurer_email = member.user.email
        service.search_text = service_search_text(service)
        now = timezone.now()
        if creating:
            service.last_modified = now
            service.save()
        else:
            save_versioned(
                service,
                version=version,
                fields=(*SERVICE_FIELDS, "assured_date", "assurer_email", "search_text"),
                conflict=_conflict_message(),
                last_modified=now,
            )
        _write_attributes(
            service.pk, "service", categories.CATEGORIES, [category] if category else []
        )
        _write_attributes(
            service.pk, "service", categories.FEATURES, ["free-of-charge"] if free else []
        )
        _write_languages(service, languages)
        location = _write_place(service, place, wheelchair)
        _write_hours(service, hours)
        transaction.on_commit(finder.forget_open_now)
        audit_member(
            member,
            AuditAction.CREATE if creating else AuditAction.UPDATE,
            service,
            changes=changes_between(before, snapshot(service, SERVICE_FIELDS)),
            request=request,
        )
    service.place = location
    return service


def _empty(name):
    field = Service._meta.get_field(name)
    return None if field.null else ""


def _check_service(fields, place, hours):
    errors = {}
    low, high = fields.get("minimum_age"), fields.get("maximum_age")
    if low is not None and high is not None and low > high:
        errors["maximum_age"] = [_("The maximum age is below the minimum age.")]
    given = [name for name in ("address_1", "postal_code", "city") if place.get(name)]
    if given and len(given) < 3:
        errors["address_1"] = [_("Give the street, the postcode and the town, or none of them.")]
    if (place.get("latitude") is None) != (place.get("longitude") is None):
        errors["latitude"] = [_("Give both coordinates, or neither.")]
    for row in hours:
        if not row.days:
            errors.setdefault("hours", []).append(_("Each row of opening hours needs its days."))
        elif row.opens == row.closes:
            errors.setdefault("hours", []).append(_("A service cannot close when it opens."))
    if errors:
        raise ValidationError(errors)


def _write_attributes(link_id, entity, taxonomy, codes):
    """The record's terms of one taxonomy are these (its other attributes stay)."""
    Attribute.objects.filter(
        link_id=link_id, taxonomy_term__taxonomy_detail_id=categories.taxonomy_id(taxonomy)
    ).delete()
    Attribute.objects.bulk_create(
        Attribute(
            link_id=link_id,
            link_entity=entity,
            link_type="category" if taxonomy == categories.CATEGORIES else "feature",
            taxonomy_term_id=categories.term_id(code),
        )
        for code in codes
    )


def _write_languages(service, codes):
    service.languages.all().delete()
    Language.objects.bulk_create(
        Language(service=service, code=code, name=categories.SPOKEN_LANGUAGES.get(code, code))
        for code in codes
    )


def _write_place(service, place, wheelchair):
    """The service's first place: its location and address (made, changed or left out)."""
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    if not place.get("address_1"):
        return sal.location if sal else None
    if sal is None:
        location = Location.objects.create(
            organization=service.organization, location_type=LocationType.PHYSICAL
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    else:
        location = sal.location
    location.name = f"{service.organization.name}, {place['address_1']}"
    location.latitude, location.longitude = place.get("latitude"), place.get("longitude")
    location.transportation = place.get("transportation") or ""
    location.save()
    address = location.addresses.order_by("id").first() or Address(
        location=location, address_type=LocationType.PHYSICAL, country="SI"
    )
    address.address_1, address.postal_code = place["address_1"], place["postal_code"]
    address.city = address.state_province = place["city"]
    address.save()
    _write_attributes(
        location.pk, "location", categories.FEATURES, ["wheelchair-access"] if wheelchair else []
    )
    return location


def _write_hours(service, hours):
    """The service's own weekly hours (schedules of its places are left as they are)."""
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            freq="WEEKLY",
            byday=",".join(row.days),
            opens_at=row.opens,
            closes_at=row.closes,
        )
        for row in hours
    )


def service_confirm(*, member, service, request=None):
    """The owner checked the entry and it is still right: its "last verified" date is today."""
    if not policy.can_edit_service(member, service):
        raise NotAllowed(_("You may not change this service."))
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(
            assured_date=timezone.localdate(), assurer_email=member.user.email
        )
        audit_member(member, AuditAction.UPDATE, service, facts={"checked": True}, request=request)


def catalogue_import_start(*, member, upload, request=None):
    """Keep the uploaded dataset privately and import it in the background (a job)."""
    if not policy.can_manage_catalogue(member):
        raise NotAllowed(_("You may not import into the service catalogue."))
    name = Path(upload.name).name[:100] or "dataset"
    stored = storages["private"].save(f"imports/{uuid.uuid4().hex}/{name}", upload)
    with transaction.atomic():
        return job_start(
            member=member,
            kind="catalogue-import",
            title=gettext_noop("Import into the service catalogue"),
            task="most.directory.tasks.import_catalogue",
            membership_id=member.pk,
            stored=stored,
            name=name,
        )
