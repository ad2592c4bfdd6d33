"""Reading the catalogue: the HSDS API's filters and the finder's search."""

import math

from django.db.models import Avg, Exists, OuterRef, Q

from most.lib.names import query_words, words

from .models import (
    Address,
    Attribute,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

EARTH_RADIUS_M = 6_371_000


def search_text(*texts) -> str:
    """The folded words of a service's texts, space-framed, for `contains` per query word."""
    return " " + " ".join(word for text in texts if text for word in words(text)) + " "


def _words_in(queryset, column, query):
    for word in query_words(query):
        queryset = queryset.filter(**{f"{column}__contains": word})
    return queryset


def _with_term(queryset, taxonomy_term_id=None, taxonomy_id=None, link="pk"):
    if taxonomy_term_id:
        queryset = queryset.filter(
            Exists(
                Attribute.objects.filter(link_id=OuterRef(link), taxonomy_term_id=taxonomy_term_id)
            )
        )
    if taxonomy_id:
        queryset = queryset.filter(
            Exists(
                Attribute.objects.filter(
                    link_id=OuterRef(link), taxonomy_term__taxonomy_detail_id=taxonomy_id
                )
            )
        )
    return queryset


def services(
    search="", taxonomy_term_id=None, taxonomy_id=None, organization_id=None, modified_after=None
):
    queryset = Service.objects.order_by("name", "id")
    queryset = _words_in(queryset, "search_text", search)
    queryset = _with_term(queryset, taxonomy_term_id, taxonomy_id)
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    if modified_after:
        queryset = queryset.filter(last_modified__gte=modified_after)
    return queryset


def service_at_locations(
    search="",
    taxonomy_term_id=None,
    taxonomy_id=None,
    organization_id=None,
    modified_after=None,
    postcode="",
    proximity=None,
):
    """Services at locations, filtered like services; `postcode` keeps those at an address with
    that postcode or whose service areas name it, and with `proximity` (metres) those within
    that distance of the postcode's centre (the mean of the catalogue's locations there)."""
    queryset = ServiceAtLocation.objects.order_by("service__name", "service_id", "id")
    queryset = _words_in(queryset, "service__search_text", search)
    queryset = _with_term(queryset, taxonomy_term_id, taxonomy_id, link="service_id")
    if organization_id:
        queryset = queryset.filter(service__organization_id=organization_id)
    if modified_after:
        queryset = queryset.filter(service__last_modified__gte=modified_after)
    if postcode and proximity is None:
        at_address = Address.objects.filter(
            location_id=OuterRef("location_id"), postal_code__iexact=postcode
        )
        in_area = ServiceArea.objects.filter(
            Q(name__icontains=postcode) | Q(extent__icontains=postcode),
            service_id=OuterRef("service_id"),
        )
        queryset = queryset.filter(Q(Exists(at_address)) | Q(Exists(in_area)))
    elif postcode:
        centre = Address.objects.filter(
            postal_code__iexact=postcode,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        ).aggregate(lat=Avg("location__latitude"), lon=Avg("location__longitude"))
        if centre["lat"] is None:
            return queryset.none()
        queryset = within(queryset, centre["lat"], centre["lon"], proximity)
    return queryset


def within(queryset, latitude, longitude, metres, prefix="location__"):
    """Rows whose location lies within metres of a point: a bounding box in SQL, then the
    great-circle distance for the few rows inside it."""
    lat_delta = math.degrees(metres / EARTH_RADIUS_M)
    lon_delta = lat_delta / max(math.cos(math.radians(latitude)), 0.01)
    boxed = queryset.filter(
        **{
            f"{prefix}latitude__range": (latitude - lat_delta, latitude + lat_delta),
            f"{prefix}longitude__range": (longitude - lon_delta, longitude + lon_delta),
        }
    ).values_list("pk", f"{prefix}latitude", f"{prefix}longitude")
    near = [pk for pk, lat, lon in boxed if distance(latitude, longitude, lat, lon) <= metres]
    return queryset.filter(pk__in=near)


def distance(lat1, lon1, lat2, lon2) -> float:
    """Metres between two points on the Earth (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def organizations(search=""):
    queryset = Organization.objects.order_by("name", "id")
    for word in search.split():
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(alternate_name__icontains=word)
            | Q(description__icontains=word)
        )
    return queryset


def taxonomies(search=""):
    queryset = Taxonomy.objects.order_by("name", "id")
    for word in search.split():
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return queryset


def taxonomy_terms(search="", taxonomy_id=None, top_only=False, parent_id=None):
    queryset = TaxonomyTerm.objects.select_related("taxonomy_detail").order_by("name", "id")
    for word in search.split():
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(code__icontains=word) | Q(description__icontains=word)
        )
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_detail_id=taxonomy_id)
    if parent_id:
        queryset = queryset.filter(parent_id=parent_id)
    if top_only:
        # The top of the tree: terms that are no other term's child.
        queryset = queryset.filter(parent_id__isnull=True)
    return queryset
