"""The public service finder and service pages: no login, in the visitor's language."""

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import finder, schedules
from .forms import FinderForm, language_name
from .texts import TRANSLATED, term_name, texts

PER_PAGE = 20


def now():
    """The moment "open now" is about (a seam for tests of opening hours)."""
    return timezone.now()


@require_GET
def finder_page(request):
    language = get_language()
    form = FinderForm(request.GET or None, language=language)
    moment = now()
    # The ids of every result in one statement (the filters' subqueries run once), then the
    # page's services by id: cheaper than counting and paging the filtered query apart.
    found = finder.search(form.query(), moment)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    services = finder.services_in_order(page.object_list)
    cards = finder.cards(services, language, moment, form.category_terms)
    return render(
        request,
        "directory/public/finder.html",
        {
            "form": form,
            "page": page,
            "cards": cards,
            "query_string": query.urlencode(),
            "map_places": _map_places(cards),
            "map_tiles": settings.MAP_TILES,
            "map_attribution": settings.MAP_ATTRIBUTION,
        },
    )


def _map_places(cards):
    """The page's places with coordinates, for the map: what a marker's popup says."""
    places = []
    for card in cards:
        for location, addresses in card.places:
            if location.latitude is None or location.longitude is None:
                continue
            address = addresses[0] if addresses else None
            places.append(
                {
                    "lat": location.latitude,
                    "lon": location.longitude,
                    "name": str(card.texts["name"]),
                    "url": reverse("finder:service", args=[card.service.pk]),
                    "address": f"{address.address_1}, {address.city}" if address else "",
                }
            )
    return places


@require_GET
def service_page(request, pk):
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise Http404 from None
    found = finder.public_service(pk)
    if found is None:
        raise Http404
    language = get_language()
    moment = now()
    service = found["service"]
    every_schedule = found["schedules"] + [s for p in found["places"] for s in p.schedules]
    return render(
        request,
        "directory/public/service.html",
        {
            **found,
            "texts": texts(service, language, TRANSLATED),
            "category_names": [term_name(term, language) for term in found["categories"]],
            "language_names": [language_name(code) for code in found["languages"]],
            "week": [(WEEKDAYS[day], hours) for day, hours in schedules.week(every_schedule)],
            "open_now": any(schedules.open_at(s, moment) for s in every_schedule),
            "holiday_today": schedules.is_holiday(timezone.localdate(moment)),
            "print_view": request.GET.get("print") == "1",
        },
    )
