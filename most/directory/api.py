"""The Open Referral HSDS 3.0 API at /api/hsds/: public, read-only, every endpoint of the
specification with its pagination object and query parameters.

The documents are HSDS's own (directory.hsds), so these are plain views and not REST framework
ones: the API's OpenAPI description is the standard's (`openapi_url` at the root).
"""

import datetime
import json
import math
import uuid

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .hsds import Graph, root, scalars, term_document
from .models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH = 200
# format=ndjson streams every result: read and written this many at a time.
STREAM_CHUNK = 200


class BadParameter(Exception):
    def __init__(self, name, message):
        super().__init__(message)
        self.name, self.message = name, message


def _answer(document, status=200):
    response = JsonResponse(document, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def hsds_view(view):
    """GET only; a bad parameter is a 400 that names it."""

    @require_GET
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return _answer({"detail": error.message, "parameter": error.name}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# -- query parameters -------------------------------------------------------------------------


def _text(request, name):
    value = request.GET.get(name, "").strip()
    if "\x00" in value or len(value) > MAX_SEARCH:
        raise BadParameter(
            name, _("%(name)s: at most %(max)s characters.") % {"name": name, "max": MAX_SEARCH}
        )
    return value


def _boolean(request, name):
    value = request.GET.get(name, "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise BadParameter(name, _("%(name)s: true or false.") % {"name": name})


def _uuid(request, name):
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameter(name, _("%(name)s: not a UUID.") % {"name": name}) from None


def _positive(request, name, default):
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BadParameter(name, _("%(name)s: a whole number from 1.") % {"name": name})
    return int(value)


def _moment(request, name):
    """A date-time (ISO 8601) or a date (its midnight), in the catalogue's time zone when the
    text names none."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))
        if moment is None:
            day = parse_date(value)
            moment = day and datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            name, _("%(name)s: a date or date-time such as 2026-01-31T12:00:00Z.") % {"name": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _format(request):
    value = request.GET.get("format", "json").strip().lower() or "json"
    if value not in ("json", "ndjson"):
        raise BadParameter("format", _("format: json or ndjson."))
    return value


def _one(queryset, pk):
    """The record with this id, or a 404 (an id that is not a UUID included)."""
    try:
        found = queryset.filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        found = None
    if found is None:
        raise Http404
    return found


# -- pages ------------------------------------------------------------------------------------


def _page(request, queryset, render):
    """The HSDS page object around render(rows), or every row as NDJSON with format=ndjson."""
    if _format(request) == "ndjson":
        return _stream(queryset, render)
    number = _positive(request, "page", 1)
    per_page = min(_positive(request, "per_page", PER_PAGE), MAX_PER_PAGE)
    total = queryset.count()
    pages = max(1, math.ceil(total / per_page))
    rows = list(queryset[(number - 1) * per_page : number * per_page]) if total else []
    contents = render(rows)
    return _answer(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _stream(queryset, render):
    def lines():
        last = None
        while True:
            # Keyset pages on the primary key: the rows may change while they are read.
            batch = queryset.order_by("pk")
            if last is not None:
                batch = batch.filter(pk__gt=last)
            rows = list(batch[:STREAM_CHUNK])
            if not rows:
                return
            for document in render(rows):
                yield json.dumps(document, ensure_ascii=False) + "\n"
            last = rows[-1].pk

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _services_rendered(request):
    if _boolean(request, "minimal"):
        # The id and when it changed, and the fields every service document must have.
        return lambda rows: [
            {"id": str(s.pk), "name": s.name, "status": s.status, **_modified(s)} for s in rows
        ]
    if _boolean(request, "full"):

        def full(rows):
            graph = Graph().load(services=rows)
            return [graph.service(s) for s in rows]

        return full

    def listed(rows):
        graph = Graph().load_list(services=rows)
        return [graph.service_item(s) for s in rows]

    return listed


def _modified(service):
    return {"last_modified": scalars(service)["last_modified"]}


# -- endpoints --------------------------------------------------------------------------------


@hsds_view
def index(request):
    return _answer(root())


@hsds_view
def services(request):
    queryset = selectors.services(
        search=_text(request, "search"),
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        organization_id=_uuid(request, "organization_id"),
        modified_after=_moment(request, "modified_after"),
    )
    return _page(request, queryset, _services_rendered(request))


@hsds_view
def service(request, pk):
    found = _one(Service.objects.all(), pk)
    return _answer(Graph().load(services=[found]).service(found))


@hsds_view
def organizations(request):
    queryset = selectors.organizations(search=_text(request, "search"))
    full, full_service = _boolean(request, "full"), _boolean(request, "full_service")
    if full or full_service:
        nested = "full" if full_service else "list"

        def render(rows):
            graph = Graph().load(organizations=rows, org_services=True)
            return [graph.organization(o, services=nested) for o in rows]

    else:

        def render(rows):
            return [scalars(o) for o in rows]

    return _page(request, queryset, render)


@hsds_view
def organization(request, pk):
    found = _one(Organization.objects.all(), pk)
    nested = "full" if _boolean(request, "full_service") else "list"
    graph = Graph().load(organizations=[found], org_services=True)
    return _answer(graph.organization(found, services=nested))


@hsds_view
def service_at_locations(request):
    proximity = request.GET.get("proximity", "").strip()
    postcode = _text(request, "postcode")
    if proximity:
        try:
            proximity = float(proximity)
        except ValueError:
            proximity = -1
        if not 0 < proximity <= 1_000_000 or math.isnan(proximity):
            raise BadParameter("proximity", _("proximity: metres, from 1 to 1,000,000."))
        if not postcode:
            raise BadParameter("proximity", _("proximity needs a postcode to measure from."))
    queryset = selectors.service_at_locations(
        search=_text(request, "search"),
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        organization_id=_uuid(request, "organization_id"),
        modified_after=_moment(request, "modified_after"),
        postcode=postcode,
        proximity=proximity or None,
    )
    if _boolean(request, "full"):

        def render(rows):
            graph = Graph().load(service_at_locations=rows)
            return [graph.service_at_location(sal) for sal in rows]

    else:

        def render(rows):
            graph = Graph().load_list(service_at_locations=rows)
            return [graph.service_at_location_item(sal) for sal in rows]

    return _page(request, queryset, render)


@hsds_view
def service_at_location(request, pk):
    found = _one(ServiceAtLocation.objects.all(), pk)
    return _answer(Graph().load(service_at_locations=[found]).service_at_location(found))


@hsds_view
def taxonomies(request):
    queryset = selectors.taxonomies(search=_text(request, "search"))
    return _page(request, queryset, lambda rows: [scalars(t) for t in rows])


@hsds_view
def taxonomy(request, pk):
    found = _one(Taxonomy.objects.all(), pk)
    return _answer(scalars(found))


@hsds_view
def taxonomy_terms(request):
    queryset = selectors.taxonomy_terms(
        search=_text(request, "search"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        top_only=_boolean(request, "top_only"),
        parent_id=_uuid(request, "parent_id"),
    )
    return _page(request, queryset, lambda rows: [term_document(t) for t in rows])


@hsds_view
def taxonomy_term(request, pk):
    found = _one(TaxonomyTerm.objects.select_related("taxonomy_detail"), pk)
    return _answer(term_document(found))
