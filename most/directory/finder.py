"""The public service finder's reads: the search with its filters, and what a page of results
and a service's page show. A page of results costs the same statements whatever its length."""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q

from most.lib.names import query_words

from . import categories, schedules
from .models import (
    Accessibility,
    Address,
    Attribute,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from .texts import texts

PUBLIC_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
CARD_TEXTS = ("name", "description")
FREE = categories.term_id("free-of-charge")
WHEELCHAIR = categories.term_id("wheelchair-access")


@dataclass
class Query:
    text: str = ""
    category: str = ""
    language: str = ""
    town: str = ""
    open_now: bool = False
    free: bool = False
    wheelchair: bool = False


def search(query: Query, moment: datetime.datetime) -> list:
    """The ids of the public services the query finds, by name, in one statement. Each filter
    is a set of service ids read once (an uncorrelated `IN`), which both databases plan well;
    what is open now is a set kept for the minute, applied here."""
    services = Service.objects.filter(status__in=PUBLIC_STATUSES).order_by("name", "id")
    for word in query_words(query.text):
        services = services.filter(search_text__contains=word)
    if query.category:
        services = services.filter(pk__in=_attributed(categories.term_id(query.category)))
    if query.language:
        spoken = Language.objects.filter(code=query.language, service__isnull=False)
        services = services.filter(pk__in=spoken.values("service_id"))
    if query.town:
        there = ServiceAtLocation.objects.filter(location__addresses__city=query.town)
        services = services.filter(pk__in=there.values("service_id"))
    if query.free:
        services = services.filter(pk__in=_attributed(FREE))
    if query.wheelchair:
        accessible = ServiceAtLocation.objects.filter(location_id__in=_attributed(WHEELCHAIR))
        services = services.filter(pk__in=accessible.values("service_id"))
    found = services.values_list("pk", flat=True)
    if not query.open_now:
        return list(found)
    open_ids = open_now(moment)
    return [pk for pk in found if pk in open_ids]


def services_in_order(ids):
    """The services with these ids, in that order, with their organisations."""
    by_id = Service.objects.select_related("organization").in_bulk(list(ids))
    return [by_id[pk] for pk in ids if pk in by_id]


def _attributed(term_id):
    return Attribute.objects.filter(taxonomy_term_id=term_id).values("link_id")


# "Open now" holds for a minute: the services open in a minute are worked out once (three
# scans of the schedules) and kept in the cache; a change to the catalogue starts a new
# generation of the keys, so that every server works them out again.
OPEN_NOW_KEY = "directory:open-now:{generation}:{minute}"
GENERATION_KEY = "directory:open-now:generation"


def open_now(moment) -> frozenset:
    """The ids of the services open at the moment."""
    minute = moment.astimezone(datetime.UTC).strftime("%Y%m%d%H%M")
    key = OPEN_NOW_KEY.format(generation=cache.get(GENERATION_KEY, 0), minute=minute)
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(_open_at(moment))
        cache.set(key, ids, timeout=90)
    return ids


def forget_open_now():
    """After a change to schedules or services: what is open is worked out again."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _open_at(moment):
    """The usual weekly schedules decided in SQL; the others each checked with their
    recurrence; nothing on a public holiday."""
    if schedules.is_holiday(moment.astimezone(schedules.local_zone()).date()):
        return []
    plain = Schedule.objects.filter(schedules.plainly_open_now(moment))
    own = plain.filter(service__isnull=False).values_list("service_id", flat=True)
    placed = plain.filter(service_at_location__isnull=False).values_list(
        "service_at_location__service_id", flat=True
    )
    return {*own, *placed, *_open_by_recurrence(moment)}


def _open_by_recurrence(moment):
    others = Schedule.objects.filter(schedules.maybe_open_now(moment)).select_related(
        "service_at_location"
    )
    found = set()
    for schedule in others:
        service_id = schedule.service_id or (
            schedule.service_at_location.service_id if schedule.service_at_location else None
        )
        if service_id and service_id not in found and schedules.open_at(schedule, moment):
            found.add(service_id)
    return list(found)


def open_services(moment, among):
    """Ids of the services among these (a page's) open at the moment: their few schedules read
    by index and each checked with its recurrence."""
    if schedules.is_holiday(moment.astimezone(schedules.local_zone()).date()):
        return []
    at_places = ServiceAtLocation.objects.filter(service_id__in=among)
    own = Schedule.objects.filter(service_id__in=among)
    placed = Schedule.objects.filter(service_at_location__in=at_places).select_related(
        "service_at_location"
    )
    found = {s.service_id for s in own if schedules.open_at(s, moment)}
    found |= {s.service_at_location.service_id for s in placed if schedules.open_at(s, moment)}
    return list(found)


@dataclass
class Card:
    service: Service
    texts: dict
    organisation: str
    categories: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    places: list = field(default_factory=list)
    open_now: bool = False
    free: bool = False


def cards(services, language, moment, terms):
    """The result cards of a page of services: six statements whatever their number."""
    services = list(services)
    ids = [s.pk for s in services]
    terms = {term.pk: term for term in terms}
    attributes = defaultdict(set)
    for link_id, term_id in Attribute.objects.filter(link_id__in=ids).values_list(
        "link_id", "taxonomy_term_id"
    ):
        attributes[link_id].add(term_id)
    spoken = defaultdict(list)
    for service_id, code in Language.objects.filter(service_id__in=ids).values_list(
        "service_id", "code"
    ):
        spoken[service_id].append(code)
    places = defaultdict(list)
    for sal in ServiceAtLocation.objects.filter(service_id__in=ids).select_related("location"):
        places[sal.service_id].append(sal.location)
    addresses = defaultdict(list)
    for address in Address.objects.filter(
        location_id__in=[location.pk for found in places.values() for location in found]
    ):
        addresses[address.location_id].append(address)
    open_ids = set(open_services(moment, among=ids))
    result = []
    for service in services:
        result.append(
            Card(
                service=service,
                texts=texts(service, language, CARD_TEXTS),
                organisation=service.organization.name,
                categories=[terms[t] for t in attributes[service.pk] if t in terms],
                languages=sorted(spoken[service.pk]),
                places=[(location, addresses[location.pk][:1]) for location in places[service.pk]],
                open_now=service.pk in open_ids,
                free=FREE in attributes[service.pk],
            )
        )
    return result


def _categories_id():
    return categories.taxonomy_id(categories.CATEGORIES)


def category_terms():
    return list(TaxonomyTerm.objects.filter(taxonomy_detail_id=_categories_id()).order_by("code"))


def towns():
    """The towns of the catalogue's places, for the filter (an index scan, no join: a town
    whose services are all closed for good finds nothing)."""
    return list(Address.objects.order_by("city").values_list("city", flat=True).distinct())


def spoken_languages():
    return list(
        Language.objects.filter(service__isnull=False)
        .exclude(code="")
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )


@dataclass
class Place:
    location: Location
    addresses: list
    accessibility: list
    wheelchair: bool
    schedules: list


def public_service(pk):
    """A public service with what its page shows, or None."""
    service = (
        Service.objects.filter(pk=pk, status__in=PUBLIC_STATUSES)
        .select_related("organization")
        .first()
    )
    if service is None:
        return None
    sals = list(service.service_at_locations.select_related("location"))
    locations = [sal.location for sal in sals]
    location_ids = [location.pk for location in locations]
    attributes = set(
        Attribute.objects.filter(link_id__in=[service.pk, *location_ids]).values_list(
            "link_id", "taxonomy_term_id"
        )
    )
    by_location = defaultdict(lambda: defaultdict(list))
    for model, name in ((Address, "addresses"), (Schedule, "schedules")):
        for row in model.objects.filter(location_id__in=location_ids):
            by_location[row.location_id][name].append(row)
    for access in Accessibility.objects.filter(location_id__in=location_ids):
        by_location[access.location_id]["accessibility"].append(access)
    places = [
        Place(
            location=location,
            addresses=by_location[location.pk]["addresses"],
            accessibility=by_location[location.pk]["accessibility"],
            wheelchair=(location.pk, WHEELCHAIR) in attributes,
            schedules=by_location[location.pk]["schedules"],
        )
        for location in locations
    ]
    return {
        "service": service,
        "places": places,
        "schedules": list(
            Schedule.objects.filter(
                Q(service=service) | Q(service_at_location__in=[sal.pk for sal in sals])
            )
        ),
        "categories": list(
            TaxonomyTerm.objects.filter(
                pk__in=[term for link, term in attributes if link == service.pk],
                taxonomy_detail_id=_categories_id(),
            )
        ),
        "free": (service.pk, FREE) in attributes,
        "languages": sorted(service.languages.values_list("code", flat=True)),
        "phones": list(service.phones.all()),
        "documents": list(service.required_documents.all()),
        "costs": list(service.cost_options.all()),
    }
