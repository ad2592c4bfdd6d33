"""The HSDS 3.0 API: every endpoint and query parameter answers what the official schemas
describe (validated strictly), finds what the parameter asks for, and costs the same number of
statements for a page of one as for a page of many."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from most.demo.catalogue import catalogue_data, seed_catalogue
from most.demo.generator import seed_organisations_and_users
from most.directory.categories import term_id

from .conftest import LEGAL_AID, hsds_validate, load, service_document

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/hsds/services": "/services",
    "/api/hsds/organizations": "/organizations",
    "/api/hsds/service_at_locations": "/service_at_locations",
    "/api/hsds/taxonomies": "/taxonomies",
    "/api/hsds/taxonomy_terms": "/taxonomy_terms",
}
TERM, TAXONOMY = LEGAL_AID["id"], LEGAL_AID["taxonomy_detail"]["id"]


def target(url):
    path, _sep, query = url.partition("?")
    base = LISTS[path]
    full = "full=true" in query or "full_service=true" in query
    return f"{base}?full=true" if full and base != "/taxonomies" else base


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.json()


def valid(client, url, endpoint=None):
    document = get(client, url)
    assert hsds_validate.errors(document, endpoint or target(url), strict=True) == []
    return document


def names(page):
    return sorted(item.get("name") or item["service"]["name"] for item in page["contents"])


def test_the_root_names_the_version_and_the_specification(client):
    root = valid(client, "/api/hsds/", "/")
    assert root["version"] == "3.0"
    assert root["openapi_url"].endswith("/schema/openapi.json")


def test_services_list_full_and_one(client, catalogue):
    page = valid(client, "/api/hsds/services")
    assert page["total_items"] == 3 and page["size"] == 3 and page["first_page"]
    assert page["contents"][0]["organization"]["name"].startswith("Društvo")
    full = valid(client, "/api/hsds/services?full=true")
    legal = next(s for s in full["contents"] if s["name"] == "Pravno svetovanje")
    place = legal["service_at_locations"][0]["location"]
    assert place["addresses"][0]["city"] == "Ljubljana"
    assert legal["attributes"][0]["taxonomy_term"]["code"] == "legal-aid"
    assert legal["schedules"][0]["byday"] == "MO,WE"
    assert legal["cost_options"][0]["amount"] == 0
    one = valid(client, f"/api/hsds/services/{legal['id']}", "/services/{id}")
    assert one == legal


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=pravna", ["Pravna ambulanta"]),
        # The organisation's name is searched too.
        ("search=društvo pravno", ["Pravno svetovanje", "Tečaj slovenščine"]),
        ("search=TECAJ slovenscine", ["Tečaj slovenščine"]),
        (f"taxonomy_term_id={TERM}", ["Pravna ambulanta", "Pravno svetovanje"]),
        (f"taxonomy_id={TAXONOMY}", ["Pravna ambulanta", "Pravno svetovanje"]),
        ("modified_after=2026-11-02", []),
        ("modified_after=2026-10-31T12:00:00Z", None),
        ("per_page=2", None),
        ("page=2&per_page=2", None),
        ("minimal=true", None),
        ("full=true&search=ambulanta", ["Pravna ambulanta"]),
    ],
)
def test_services_query_parameters(client, catalogue, query, expected):
    page = valid(client, f"/api/hsds/services?{query}")
    if expected is not None:
        assert names(page) == expected
    if "per_page=2" in query:
        assert page["total_pages"] == 2 and page["total_items"] == 3
        second = query.startswith("page=2")
        assert page["size"] == (1 if second else 2)
        assert page["last_page"] is second
    if query == "minimal=true":
        assert set(page["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_services_of_one_organization(client, catalogue):
    organization = catalogue["services"][0]["organization"]["id"]
    page = valid(client, f"/api/hsds/services?organization_id={organization}")
    assert names(page) == ["Pravno svetovanje", "Tečaj slovenščine"]


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("", 2),
        ("full=true", 2),
        ("full_service=true", 2),
        ("search=društvo ambulanta", 1),
        ("page=2&per_page=1", 1),
    ],
)
def test_organizations(client, catalogue, query, size):
    page = valid(client, f"/api/hsds/organizations?{query}")
    assert page["size"] == size
    assert page["total_items"] == (1 if "search" in query else 2)
    first = page["contents"][0]
    assert ("locations" in first) is ("full" in query)
    assert ("services" in first) is ("full" in query)


def test_one_organization_lists_its_services_and_nests_them_in_full_on_request(client, catalogue):
    organization = catalogue["services"][0]["organization"]["id"]
    url = f"/api/hsds/organizations/{organization}"
    listed = valid(client, url, "/organizations/{id}")
    assert sorted(s["name"] for s in listed["services"]) == [
        "Pravno svetovanje",
        "Tečaj slovenščine",
    ]
    assert "phones" not in listed["services"][0]
    full = valid(client, url + "?full_service=true", "/organizations/{id}")
    assert all("service_at_locations" in s for s in full["services"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Pravna ambulanta", "Pravno svetovanje", "Tečaj slovenščine"]),
        ("full=true", ["Pravna ambulanta", "Pravno svetovanje", "Tečaj slovenščine"]),
        ("search=ambulanta", ["Pravna ambulanta"]),
        (f"taxonomy_term_id={TERM}", ["Pravna ambulanta", "Pravno svetovanje"]),
        (f"taxonomy_id={TAXONOMY}", ["Pravna ambulanta", "Pravno svetovanje"]),
        ("postcode=2000", ["Pravna ambulanta"]),
        # Maribor is some 110 km from Ljubljana.
        ("postcode=1000&proximity=5000", ["Pravno svetovanje", "Tečaj slovenščine"]),
        ("postcode=1000&proximity=150000", None),
        ("postcode=9999&proximity=5000", []),
        ("modified_after=2027-01-01", []),
        ("page=2&per_page=2", None),
    ],
)
def test_service_at_locations(client, catalogue, query, expected):
    page = valid(client, f"/api/hsds/service_at_locations?{query}")
    if expected is not None:
        assert names(page) == expected
    if "150000" in query:
        assert page["total_items"] == 3
    if "full=true" in query:
        assert "addresses" in page["contents"][0]["location"]
    one = page["contents"][0]["id"] if page["contents"] else None
    if one:
        document = valid(
            client, f"/api/hsds/service_at_locations/{one}", "/service_at_locations/{id}"
        )
        assert document["service"]["organization"]["name"].startswith("Društvo")


@pytest.mark.parametrize("query", ["", "search=vrste", "page=1&per_page=1"])
def test_taxonomies(client, catalogue, query):
    """The test's own taxonomy beside the network's two, which every catalogue holds."""
    page = valid(client, f"/api/hsds/taxonomies?{query}")
    names = [t["name"] for t in page["contents"]]
    if query:
        assert names == ["Most"]
    else:
        assert names == ["Most", "Most: service categories", "Most: service features"]
    one = valid(client, f"/api/hsds/taxonomies/{TAXONOMY}", "/taxonomies/{id}")
    assert one["description"] == "Vrste storitev v mreži."


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("search=brezplačna pravna", True),
        ("search=stanovanje", False),
        (f"taxonomy_id={TAXONOMY}", True),
        (f"top_only=true&taxonomy_id={TAXONOMY}", True),
        (f"parent_id={TAXONOMY}", False),
    ],
)
def test_taxonomy_terms(client, catalogue, query, found):
    page = valid(client, f"/api/hsds/taxonomy_terms?{query}")
    assert [t["id"] for t in page["contents"]] == ([TERM] if found else [])
    one = valid(client, f"/api/hsds/taxonomy_terms/{TERM}", "/taxonomy_terms/{id}")
    assert one["taxonomy_detail"]["name"] == "Most"


def test_the_networks_categories_are_in_every_catalogue(client, db):
    page = valid(client, "/api/hsds/taxonomy_terms?per_page=100")
    codes = {t["code"] for t in page["contents"]}
    assert {"legal-aid", "language-course", "free-of-charge", "wheelchair-access"} <= codes


def test_ndjson_streams_every_result_without_pages(client, catalogue):
    response = client.get("/api/hsds/services?format=ndjson&full=true")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    documents = [json.loads(line) for line in lines]
    assert sorted(d["name"] for d in documents) == [
        "Pravna ambulanta",
        "Pravno svetovanje",
        "Tečaj slovenščine",
    ]
    for document in documents:
        assert hsds_validate.errors(document, "/services/{id}", strict=True) == []


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/hsds/services?page=0", "page"),
        ("/api/hsds/services?per_page=abc", "per_page"),
        ("/api/hsds/services?full=maybe", "full"),
        ("/api/hsds/services?taxonomy_term_id=legal", "taxonomy_term_id"),
        ("/api/hsds/services?modified_after=yesterday", "modified_after"),
        ("/api/hsds/services?format=xml", "format"),
        ("/api/hsds/services?search=" + "a" * 300, "search"),
        ("/api/hsds/service_at_locations?proximity=500", "proximity"),
        ("/api/hsds/service_at_locations?postcode=1000&proximity=-1", "proximity"),
        ("/api/hsds/taxonomy_terms?parent_id=x", "parent_id"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, db, url, parameter):
    answer = get(client, url, status=400)
    assert answer["parameter"] == parameter and answer["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services/not-a-uuid",
        "/api/hsds/services/8d0c2f5e-0000-4000-8000-000000000000",
        "/api/hsds/organizations/8d0c2f5e-0000-4000-8000-000000000000",
        "/api/hsds/service_at_locations/8d0c2f5e-0000-4000-8000-000000000000",
        "/api/hsds/taxonomies/8d0c2f5e-0000-4000-8000-000000000000",
        "/api/hsds/taxonomy_terms/8d0c2f5e-0000-4000-8000-000000000000",
    ],
)
def test_an_unknown_record_is_a_404(client, db, url):
    assert client.get(url).status_code == 404


def test_the_api_is_read_only_and_open_to_other_sites(client, catalogue):
    assert client.post("/api/hsds/services", {}).status_code == 405
    response = client.get("/api/hsds/services")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_page_of_many_full_services_costs_what_a_page_of_one_costs(client, db):
    load(*[service_document(10 + n, f"Storitev {n}", term=LEGAL_AID) for n in range(12)])

    def statements(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for url in (
        "/api/hsds/services?full=true&per_page={}",
        "/api/hsds/services?per_page={}",
        "/api/hsds/service_at_locations?full=true&per_page={}",
        "/api/hsds/organizations?full_service=true&per_page={}",
    ):
        assert statements(url.format(1)) == statements(url.format(12)), url


def test_the_demo_catalogue_is_valid_hsds_and_found_in_its_languages(client, db):
    seed_organisations_and_users()
    assert seed_catalogue() == len(catalogue_data()["services"]) == 41
    for url, endpoint in (
        ("/api/hsds/services?full=true&per_page=200", "/services?full=true"),
        ("/api/hsds/organizations?full_service=true", "/organizations?full=true"),
        (
            "/api/hsds/service_at_locations?full=true&per_page=200",
            "/service_at_locations?full=true",
        ),
    ):
        valid(client, url, endpoint)
    legal = valid(client, f"/api/hsds/services?taxonomy_term_id={term_id('legal-aid')}")
    assert legal["total_items"] == 5
    # Translations are searched too, in their own script or in Latin letters.
    for query in ("مساعدة قانونية", "правова допомога", "free legal aid"):
        found = names(valid(client, f"/api/hsds/services?search={query}"))
        assert found and all("pravn" in name.lower() for name in found), (query, found)
    near_jesenice = valid(client, "/api/hsds/service_at_locations?postcode=4270&proximity=2000")
    assert near_jesenice["total_items"] == 6
