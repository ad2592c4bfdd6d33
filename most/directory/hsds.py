"""The catalogue as Open Referral HSDS 3.0 documents.

A page of documents is read table by table (`Graph`): the services, then every table they nest,
each with one query whatever the page's size, so a page of 50 fully nested services costs as
many statements as a page of one. Documents are then put together in Python from those rows.

Every scalar field of a record is written when it has a value (HSDS types forbid null), the
links to other records (`service_id`, …) included, and every record carries its `attributes`
(taxonomy terms) and `metadata` (its change history), as the specification's examples do.
"""

import datetime
import functools
import uuid
from collections import defaultdict
from itertools import chain

from django.db.models import Q

from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Metadata,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
PROFILE = "https://openreferral.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

# What Most keeps beside a record that is not part of the standard.
NOT_HSDS = {"owner", "translations", "original_language", "search_text"}
# An organisation's last change (for `modified_after`), a service's version (the owner's
# optimistic locking) and its response time to referrals are not HSDS fields; a taxonomy's
# `version` is.
NOT_HSDS_OF = {Organization: {"last_modified"}, Service: {"version", "response_days"}}
# A foreign key whose HSDS name is not its column's.
HSDS_NAMES = {(TaxonomyTerm, "taxonomy_detail_id"): "taxonomy_id"}
# Ids are read in batches of this many (SQLite takes 32,766 parameters in a statement): a page
# of any size reads each table once.
BATCH = 30_000


@functools.cache
def hsds_fields(model):
    """((HSDS name, model field), …) of the model's scalar fields, links included."""
    return tuple(
        (HSDS_NAMES.get((model, f.attname), f.attname), f)
        for f in model._meta.concrete_fields
        if f.name not in NOT_HSDS and f.name not in NOT_HSDS_OF.get(model, ())
    )


def value(raw):
    """A stored value as HSDS writes it; None for no value."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, uuid.UUID):
        return str(raw)
    if isinstance(raw, datetime.datetime):
        raw = raw.astimezone(datetime.UTC)
        text = raw.strftime("%Y-%m-%dT%H:%M:%S")
        if raw.microsecond:
            text += f".{raw.microsecond // 1000:03d}"
        return text + "Z"
    if isinstance(raw, datetime.time):
        return raw.isoformat(timespec="seconds")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def scalars(obj):
    document = {}
    for name, field in hsds_fields(type(obj)):
        written = value(getattr(obj, field.attname))
        if written is not None:
            document[name] = written
    return document


def _batched(queryset, condition_of, ids):
    """Rows matching condition_of(batch) for every batch of ids."""
    ids = list(ids)
    if not ids:
        return []
    found = []
    for start in range(0, len(ids), BATCH):
        found.extend(queryset.filter(condition_of(ids[start : start + BATCH])))
    return found


def _any_link(links):
    """condition_of for rows linked to any of several parents: {attname: ids}."""

    def condition(_batch):
        q = Q(pk__in=[])
        for attname, ids in links.items():
            if ids:
                q |= Q(**{f"{attname}__in": list(ids)})
        return q

    return condition


class Graph:
    """The rows a set of documents needs, and their children by link."""

    def __init__(self):
        self.rows = defaultdict(dict)
        self._children = {}
        # Documents nested in several places of a page (an organisation under each of its
        # services, a place under each service there) are put together once.
        self._documents = {}

    def _once(self, key, build):
        if key not in self._documents:
            self._documents[key] = build()
        return self._documents[key]

    def add(self, rows):
        for row in rows:
            self.rows[type(row)][row.pk] = row

    def ids(self, model):
        return set(self.rows[model])

    def children(self, model, attname, parent_id):
        key = (model, attname)
        if key not in self._children:
            index = defaultdict(list)
            for row in self.rows[model].values():
                parent = getattr(row, attname)
                if parent is not None:
                    index[parent].append(row)
            for rows in index.values():
                rows.sort(key=lambda row: str(row.pk))
            self._children[key] = index
        return self._children[key].get(parent_id, [])

    def get(self, model, pk):
        return self.rows[model].get(pk)

    # -- loading ------------------------------------------------------------------------------

    def load(self, services=(), organizations=(), service_at_locations=(), org_services=False):
        """Everything the full documents of these records nest. With org_services, the
        organisations' services too (an organisation's document lists them). An organisation's
        places are read for the organisations asked for, not for those nested in a service (a
        service's own places are its service_at_locations)."""
        self.add(services)
        self.add(organizations)
        self.add(service_at_locations)
        documented = self.ids(Organization)
        if org_services and organizations:
            self.add(
                _batched(Service.objects.all(), _in("organization_id"), self.ids(Organization))
            )
        if service_at_locations:
            self.add(
                _batched(
                    Service.objects.all(),
                    _in("pk"),
                    {sal.service_id for sal in service_at_locations} - self.ids(Service),
                )
            )
        services_ids = self.ids(Service)
        self.add(_batched(ServiceAtLocation.objects.all(), _in("service_id"), services_ids))
        org_ids = {s.organization_id for s in self.rows[Service].values()} - self.ids(Organization)
        self.add(_batched(Organization.objects.all(), _in("pk"), org_ids))
        org_ids = self.ids(Organization)
        sal_ids = self.ids(ServiceAtLocation)
        location_ids = {sal.location_id for sal in self.rows[ServiceAtLocation].values()}
        self.add(
            _batched(
                Location.objects.all(),
                _any_link({"pk": location_ids, "organization_id": documented}),
                [None],
            )
        )
        location_ids = self.ids(Location)
        program_ids = {s.program_id for s in self.rows[Service].values() if s.program_id}
        self.add(
            _batched(
                Program.objects.all(),
                _any_link({"pk": program_ids, "organization_id": org_ids}),
                [None],
            )
        )
        by_service = {"service_id": services_ids}
        for model in (ServiceArea, CostOption, RequiredDocument):
            self.add(_batched(model.objects.all(), _in("service_id"), services_ids))
        self.add(_batched(Address.objects.all(), _in("location_id"), location_ids))
        self.add(_batched(Accessibility.objects.all(), _in("location_id"), location_ids))
        self.add(_batched(OrganizationIdentifier.objects.all(), _in("organization_id"), org_ids))
        self.add(
            _batched(
                Funding.objects.all(),
                _any_link({**by_service, "organization_id": org_ids}),
                [None],
            )
        )
        places = {
            **by_service,
            "organization_id": org_ids,
            "location_id": location_ids,
            "service_at_location_id": sal_ids,
        }
        self.add(_batched(Contact.objects.all(), _any_link(places), [None]))
        places.pop("organization_id")
        self.add(_batched(Schedule.objects.all(), _any_link(places), [None]))
        phone_places = {
            **places,
            "organization_id": org_ids,
            "contact_id": self.ids(Contact),
        }
        self.add(_batched(Phone.objects.all(), _any_link(phone_places), [None]))
        self.add(
            _batched(
                Language.objects.all(),
                _any_link({**by_service, "location_id": location_ids, "phone_id": self.ids(Phone)}),
                [None],
            )
        )
        self.load_annotations()
        return self

    def load_annotations(self):
        """The attributes and metadata of every record loaded so far."""
        every_id = set(chain.from_iterable(self.rows[model] for model in list(self.rows)))
        self.add(
            _batched(
                Attribute.objects.select_related("taxonomy_term__taxonomy_detail"),
                _in("link_id"),
                every_id,
            )
        )
        self.add(_batched(Metadata.objects.all(), _in("resource_id"), every_id))

    def load_list(self, services=(), service_at_locations=()):
        """What the list shapes nest: a service's organisation and programme, a service at a
        location's location and service."""
        self.add(services)
        self.add(service_at_locations)
        for model, attname in ((Service, "service_id"), (Location, "location_id")):
            wanted = {getattr(sal, attname) for sal in service_at_locations}
            self.add(_batched(model.objects.all(), _in("pk"), wanted - self.ids(model)))
        rows = self.rows[Service].values()
        self.add(_batched(Organization.objects.all(), _in("pk"), {s.organization_id for s in rows}))
        programs = {s.program_id for s in rows if s.program_id}
        self.add(_batched(Program.objects.all(), _in("pk"), programs))
        return self

    # -- documents ----------------------------------------------------------------------------

    def annotated(self, obj, document):
        document["attributes"] = [
            self.attribute(a) for a in self.children(Attribute, "link_id", obj.pk)
        ]
        document["metadata"] = [scalars(m) for m in self.children(Metadata, "resource_id", obj.pk)]
        return document

    def attribute(self, attribute):
        document = scalars(attribute)
        document["taxonomy_term"] = term_document(attribute.taxonomy_term)
        return document

    def _many(self, model, attname, parent_id, render):
        return [render(row) for row in self.children(model, attname, parent_id)]

    def plain(self, obj):
        return self.annotated(obj, scalars(obj))

    def phone(self, phone):
        document = scalars(phone)
        document["languages"] = self._many(Language, "phone_id", phone.pk, self.plain)
        return self.annotated(phone, document)

    def contact(self, contact):
        document = scalars(contact)
        document["phones"] = self._many(Phone, "contact_id", contact.pk, self.phone)
        return self.annotated(contact, document)

    def location(self, location):
        return self._once(("location", location.pk), lambda: self._location(location))

    def _location(self, location):
        pk = location.pk
        document = scalars(location)
        document["languages"] = self._many(Language, "location_id", pk, self.plain)
        document["addresses"] = self._many(Address, "location_id", pk, self.plain)
        document["contacts"] = self._many(Contact, "location_id", pk, self.contact)
        document["accessibility"] = self._many(Accessibility, "location_id", pk, self.plain)
        document["phones"] = self._many(Phone, "location_id", pk, self.phone)
        document["schedules"] = self._many(Schedule, "location_id", pk, self.plain)
        return self.annotated(location, document)

    def organization(self, organization, services=None, places=True):
        """The full organisation; services: None (left out), "list" or "full"; places: with
        its locations (a large provider has hundreds: not under each of its services)."""
        key = ("organization", organization.pk, services, places)
        return self._once(key, lambda: self._organization(organization, services, places))

    def _organization(self, organization, services, places):
        pk = organization.pk
        document = scalars(organization)
        document["funding"] = self._many(Funding, "organization_id", pk, self.plain)
        document["contacts"] = self._many(Contact, "organization_id", pk, self.contact)
        document["phones"] = self._many(Phone, "organization_id", pk, self.phone)
        if places:
            document["locations"] = self._many(Location, "organization_id", pk, self.location)
        document["programs"] = self._many(Program, "organization_id", pk, self.plain)
        document["organization_identifiers"] = self._many(
            OrganizationIdentifier, "organization_id", pk, self.plain
        )
        if services == "full":
            render = lambda s: self.service(s, organization=False)  # noqa: E731
            document["services"] = self._many(Service, "organization_id", pk, render)
        elif services == "list":
            document["services"] = self._many(Service, "organization_id", pk, self.plain)
        return self.annotated(organization, document)

    def service_at_location(self, sal, service=True):
        pk = sal.pk
        document = scalars(sal)
        document["contacts"] = self._many(Contact, "service_at_location_id", pk, self.contact)
        document["phones"] = self._many(Phone, "service_at_location_id", pk, self.phone)
        document["schedules"] = self._many(Schedule, "service_at_location_id", pk, self.plain)
        location = self.get(Location, sal.location_id)
        if location is not None:
            document["location"] = self.location(location)
        if service:
            document["service"] = self.service(self.get(Service, sal.service_id), places=False)
        return self.annotated(sal, document)

    def service(self, service, organization=True, places=True):
        """The full service; without its organisation or its places when the document it is
        nested in is that organisation or one of those places."""
        pk = service.pk
        document = scalars(service)
        document["phones"] = self._many(Phone, "service_id", pk, self.phone)
        document["schedules"] = self._many(Schedule, "service_id", pk, self.plain)
        document["service_areas"] = self._many(ServiceArea, "service_id", pk, self.plain)
        if places:
            render = lambda sal: self.service_at_location(sal, service=False)  # noqa: E731
            document["service_at_locations"] = self._many(
                ServiceAtLocation, "service_id", pk, render
            )
        document["languages"] = self._many(Language, "service_id", pk, self.plain)
        if organization:
            document["organization"] = self.organization(
                self.get(Organization, service.organization_id), places=False
            )
        document["funding"] = self._many(Funding, "service_id", pk, self.plain)
        document["cost_options"] = self._many(CostOption, "service_id", pk, self.plain)
        program = self.get(Program, service.program_id)
        if program is not None:
            document["program"] = self.plain(program)
        document["required_documents"] = self._many(RequiredDocument, "service_id", pk, self.plain)
        document["contacts"] = self._many(Contact, "service_id", pk, self.contact)
        return self.annotated(service, document)

    # -- list shapes --------------------------------------------------------------------------

    def service_item(self, service):
        document = scalars(service)
        document["organization"] = scalars(self.get(Organization, service.organization_id))
        program = self.get(Program, service.program_id)
        if program is not None:
            document["program"] = scalars(program)
        return document

    def service_at_location_item(self, sal):
        document = scalars(sal)
        location = self.get(Location, sal.location_id)
        if location is not None:
            document["location"] = scalars(location)
        document["service"] = self.service_item(self.get(Service, sal.service_id))
        return document


def _in(attname):
    return lambda batch: Q(**{f"{attname}__in": batch})


def term_document(term):
    document = scalars(term)
    if term.taxonomy_detail_id is not None:
        try:
            detail = term.taxonomy_detail
        except Taxonomy.DoesNotExist:
            detail = None
        if detail is not None:
            document["taxonomy_detail"] = scalars(detail)
    return document


def root():
    return {"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL}
