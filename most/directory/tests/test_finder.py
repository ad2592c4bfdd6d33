"""The public service finder and service pages: search and filters, opening hours now, texts in
the visitor's language, public data only, and a page's cost independent of its length."""

import datetime
import re
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from most.demo.catalogue import seed_catalogue
from most.demo.generator import seed_organisations_and_users
from most.directory import public_views
from most.directory.models import Contact, Service

from .conftest import load, service_document

pytestmark = pytest.mark.django_db

LJUBLJANA = ZoneInfo("Europe/Ljubljana")
# A Wednesday at eleven, and Christmas Day (a Friday).
WEDNESDAY_MORNING = datetime.datetime(2026, 12, 2, 11, tzinfo=LJUBLJANA)
CHRISTMAS = datetime.datetime(2026, 12, 25, 11, tzinfo=LJUBLJANA)


@pytest.fixture
def demo(db, monkeypatch):
    seed_organisations_and_users()
    seed_catalogue(today=datetime.date(2026, 12, 1))
    monkeypatch.setattr(public_views, "now", lambda: WEDNESDAY_MORNING)


def found(client, query="", language="en"):
    page = client.get(f"/services/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    return re.findall(r'<h3><a href="/services/[^"]+/"[^>]*>([^<]+)</a>', html), html


def test_the_finder_lists_every_public_service_by_name(client, demo):
    names, html = found(client, "page=1")
    assert len(names) == 20
    assert "41 services found" in html
    second, _html = found(client, "page=3")
    assert len(second) == 1 and second[0] not in names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=legal-aid&town=Maribor", ["Legal aid in Maribor"]),
        ("category=legal-aid&language=fa", ["Free legal aid"]),
        (
            # The school's page speaks of extra Slovenian lessons too.
            "q=slovenian&town=Koper",
            [
                "Enrolling migrant children in school",
                "Slovenian A2 and B1",
                "Slovenian course for migrants, Koper",
                "Slovenian for pupils",
            ],
        ),
        (
            "category=language-course&free=on&town=Koper",
            ["Slovenian course for migrants, Koper", "Slovenian for pupils"],
        ),
        ("category=employment&wheelchair=on&town=Jesenice", []),
        ("category=employment&town=Jesenice", ["Career advice Jesenice"]),
        # Open on Wednesday at eleven: legal aid on Mondays and Wednesdays 10–16 in Ljubljana,
        # not Maribor's (Thursdays) nor Koper's (Fridays).
        ("category=legal-aid&open=on", ["Free legal aid"]),
        ("q=pravna pomoč&open=on&language=ar", ["Free legal aid"]),
        ("q=nothing-like-this", []),
    ],
)
def test_search_and_filters(client, demo, query, expected):
    names, _html = found(client, query)
    assert sorted(names) == expected


def test_nothing_is_open_on_a_public_holiday(client, demo, monkeypatch):
    monkeypatch.setattr(public_views, "now", lambda: CHRISTMAS)
    names, _html = found(client, "open=on")
    assert names == []
    friday = Service.objects.get(name="Pravna pomoč na Obali")  # Fridays 9–13
    page = client.get(f"/services/{friday.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Today is a public holiday" in page and "Closed now" in page


@pytest.mark.parametrize(
    "query",
    [
        "category=no-such-kind",
        "language=<script>",
        "town=Atlantis",
        "open=maybe",
        "page=999",
        "page=-1",
        "q=" + "x" * 500,
        "q=%00",
    ],
)
def test_bad_input_never_breaks_the_finder(client, demo, query):
    response = client.get(f"/services/?{query}")
    assert response.status_code == 200


def test_texts_come_in_the_visitors_language_or_say_which_they_are_in(client, demo):
    service = Service.objects.get(name="Brezplačna pravna pomoč")
    url = f"/services/{service.pk}/"
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "مساعدة قانونية مجانية" in arabic and "Not yet translated" not in arabic
    # No Albanian translation: English, marked, with its own lang attribute.
    albanian = client.get(url, HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert '<h1 dir="auto" lang="en">Free legal aid</h1>' in albanian
    assert "Ende pa përkthim në gjuhën tuaj" in albanian
    slovenian = client.get(url, HTTP_ACCEPT_LANGUAGE="sl").content.decode()
    assert '<h1 dir="auto" lang="sl">Brezplačna pravna pomoč</h1>' in slovenian


def test_the_service_page_shows_hours_place_and_what_to_bring(client, demo):
    service = Service.objects.get(name="Brezplačna pravna pomoč")
    page = client.get(f"/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open now" in page
    assert re.search(r"Wednesday</th><td><span dir=\"ltr\">10:00–16:00", page)
    assert re.search(r"Tuesday</th><td>closed", page)
    assert "Komenskega ulica 14" in page and "1000 Ljubljana" in page
    assert "Vse odločbe in dopise" in page
    assert "Wheelchair access" in page
    assert "data-print" in page


def test_a_service_that_is_not_public_is_not_found(client, demo):
    service = Service.objects.get(name="Brezplačna pravna pomoč")
    for status in ("inactive", "defunct"):
        Service.objects.filter(pk=service.pk).update(status=status)
        assert client.get(f"/services/{service.pk}/").status_code == 404
        names, _html = found(client, "category=legal-aid&town=Ljubljana")
        assert "Free legal aid" not in names
    assert client.get("/services/not-a-uuid/").status_code == 404


def test_public_pages_show_no_contact_person(client, db, monkeypatch):
    """A contact's name and e-mail are for the catalogue's keepers, not for the public page."""
    document = service_document(60, "Svetovanje")
    document["contacts"] = [
        {"id": "0b6c2f4e-0000-4000-8000-000000000060", "name": "Ana Novak", "email": "ana@x.si"}
    ]
    load(document)
    assert Contact.objects.count() == 1
    service = Service.objects.get()
    page = client.get(f"/services/{service.pk}/").content.decode()
    assert "Ana Novak" not in page and "ana@x.si" not in page


def test_a_page_of_results_costs_the_same_statements_as_a_page_of_one(client, demo):
    def statements(query):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/services/?{query}").status_code == 200
        return len(queries)

    one = statements("q=ambulanta+za+osebe")
    many = statements("page=1")
    assert one == many
    # The first search for what is open works it out for the minute; the next ones read it.
    first = statements("open=on")
    assert statements("open=on&q=pravna") == statements("open=on&free=on") < first


def test_public_pages_speak_seven_languages_and_staff_pages_two(client, db, settings):
    for language, direction in (("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr"), ("sq", "ltr")):
        home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in home
    login = client.get("/app/login/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<html lang="{settings.LANGUAGE_CODE}" dir="ltr">' in login
    login = client.get("/app/login/", HTTP_ACCEPT_LANGUAGE="ar, en;q=0.5").content.decode()
    assert '<html lang="en" dir="ltr">' in login
    client.post("/i18n/setlang/", {"language": "fa", "next": "/services/"})
    assert '<html lang="fa" dir="rtl">' in client.get("/services/").content.decode()
    staff = f'<html lang="{settings.LANGUAGE_CODE}" dir="ltr">'
    assert staff in client.get("/app/login/").content.decode()


@pytest.mark.parametrize("url", ["/", "/services/", "/services/?category=legal-aid", "service"])
def test_a_public_page_with_what_it_loads_weighs_under_100_kb(client, demo, url):
    """Counted uncompressed, the page and its style sheets and scripts (the map loads only on
    request); a slow phone connection gets it in seconds."""
    from django.contrib.staticfiles import finders

    if url == "service":
        url = f"/services/{Service.objects.get(name='Brezplačna pravna pomoč').pk}/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page loads its style sheet"
    weight = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert weight < 100_000, weight


def test_open_now_reads_every_kind_of_recurrence(client, db, monkeypatch):
    """Weekly hours are decided in SQL; a monthly rule, every other week or past midnight by
    the recurrence itself."""
    monkeypatch.setattr(public_views, "now", lambda: WEDNESDAY_MORNING)  # 2 December, 11:00

    def hours(**schedule):
        return [{"id": str(uuid.uuid4()), **schedule}]

    services = {
        "Prva sreda": {"freq": "MONTHLY", "byday": "1WE"},  # the first Wednesday: open
        "Druga sreda": {"freq": "MONTHLY", "byday": "2WE"},
        "Vsak drugi teden": {
            "freq": "WEEKLY",
            "byday": "WE",
            "interval": 2,
            "dtstart": "2026-11-25",
        },
        "Nočno zavetišče": {
            "freq": "WEEKLY",
            "byday": "TU",
            "opens_at": "20:00:00",
            "closes_at": "12:00:00",
        },
        "Ob sredah": {"freq": "WEEKLY", "byday": "WE"},
    }
    documents = []
    for n, (name, schedule) in enumerate(services.items()):
        document = service_document(70 + n, name)
        document["schedules"] = hours(
            **{"opens_at": "09:00:00", "closes_at": "17:00:00", **schedule}
        )
        documents.append(document)
    load(*documents)
    names, _html = found(client, "open=on", language="sl")
    assert sorted(names) == ["Nočno zavetišče", "Ob sredah", "Prva sreda"]
