import datetime

import pytest
from rest_framework.test import APIClient

from most.people.models import Consent, Person


@pytest.fixture
def api(api_as):
    return api_as


def test_token_is_required(db):
    assert APIClient().get("/api/persons/").status_code == 401


def test_create_read_update_a_person(api, alice):
    client = api(alice)
    response = client.post(
        "/api/persons/",
        {
            "given_name": "Олександр",
            "family_name": "Коваленко",
            "country_of_origin": "UA",
            "birth_date": "1984-03-12",
            "languages": ["uk"],
            "aliases": ["Aleksandr Kovalenko"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["given_name_latin"], data["birth_year"], data["languages"]) == (
        "Oleksandr",
        1984,
        ["uk"],
    )
    pk = data["id"]
    response = client.patch(
        f"/api/persons/{pk}/", {"municipality": "Koper", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert client.get("/api/persons/?q=Aleksandr").json()["count"] == 1


def test_a_stale_version_gets_409(api, alice, person_a):
    client = api(alice)
    assert (
        client.patch(
            f"/api/persons/{person_a.pk}/", {"address": "A", "version": 1}, format="json"
        ).status_code
        == 200
    )
    response = client.patch(
        f"/api/persons/{person_a.pk}/", {"address": "B", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_patch_without_version_is_refused(api, alice, person_a):
    response = api(alice).patch(f"/api/persons/{person_a.pk}/", {"address": "A"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    response = api(alice).patch(
        f"/api/persons/{person_a.pk}/",
        {"address": "A"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="sl",
    )
    assert response.json()["version"] == ["To polje je obvezno."]


def test_a_household_update_without_version_is_refused_and_changes_nothing(api, alice):
    from most.people.services import household_create

    household = household_create(member=alice, name="Kovalenko")
    response = api(alice).patch(
        f"/api/households/{household.pk}/", {"name": "Shevchenko"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()
    household.refresh_from_db()
    assert household.name == "Kovalenko" and household.version == 1


def test_the_openapi_document_requires_the_version_of_an_update(client, db):
    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]
    for name in ("PatchedPersonUpdateInputRequest", "PatchedHouseholdUpdateInputRequest"):
        assert schemas["schemas"][name]["required"] == ["version"]


def test_malformed_json_gets_a_clear_400(api, alice):
    response = api(alice).post("/api/persons/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"given_name": "A", "family_name": "B", "birth_date": "2999-01-01"}, "birth_date"),
        ({"given_name": "A", "family_name": "B", "birth_date": "31.02.2000"}, "birth_date"),
        ({"given_name": "A" * 101, "family_name": "B"}, "given_name"),
        ({"given_name": "A", "family_name": "B", "sex": "Q"}, "sex"),
        ({"given_name": "A", "family_name": "B", "languages": ["xx"]}, "languages"),
        ({"given_name": "A", "family_name": "B", "country_of_origin": "ZZ"}, "country_of_origin"),
        ({"family_name": "B"}, "given_name"),
        ({"given_name": "A", "family_name": "B", "birth_year": "nineteen"}, "birth_year"),
    ],
)
def test_bad_input_gets_400_with_the_field_and_saves_nothing(api, alice, payload, field):
    response = api(alice).post("/api/persons/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Person.objects.exists()


def test_messages_follow_the_requested_language(api, alice):
    response = api(alice).post(
        "/api/persons/", {"family_name": "B"}, format="json", HTTP_ACCEPT_LANGUAGE="sl"
    )
    assert response.json()["given_name"] == ["To polje je obvezno."]


def test_another_organisations_person_is_404_everywhere(api, charlie, person_a):
    client = api(charlie)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 404
    assert (
        client.patch(f"/api/persons/{person_a.pk}/", {"version": 1}, format="json").status_code
        == 404
    )
    assert client.get(f"/api/persons/{person_a.pk}/consents/").status_code == 404
    assert client.get("/api/persons/?q=Kovalenko").json()["count"] == 0


def test_acting_for_an_organisation_the_user_is_not_in_is_refused(api, alice, org_b):
    response = api(alice).get("/api/persons/", HTTP_X_ORGANISATION=str(org_b.pk))
    assert response.status_code == 403


def test_households_and_members(api, alice, person_a):
    client = api(alice)
    household = client.post("/api/households/", {"name": "Kovalenko"}, format="json").json()
    response = client.post(
        f"/api/households/{household['id']}/members/",
        {"person": person_a.pk, "relationship": "head"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["members"][0]["name"] == "Oleksandr Kovalenko"
    assert (
        client.delete(f"/api/households/{household['id']}/members/{person_a.pk}/").status_code
        == 204
    )


def test_consent_record_and_withdraw(api, alice, person_a):
    client = api(alice)
    today = datetime.date.today().isoformat()
    response = client.post(
        f"/api/persons/{person_a.pk}/consents/",
        {"purpose": "sharing", "given_on": today, "evidence": "signed"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_valid_today"]
    consent = Consent.objects.get()
    response = client.post(f"/api/consents/{consent.pk}/withdraw/", {}, format="json")
    assert response.status_code == 200 and not response.json()["is_valid_today"]
    again = client.post(f"/api/consents/{consent.pk}/withdraw/", {}, format="json")
    assert again.status_code == 400


def test_openapi_document_describes_the_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/persons/",
        "/api/persons/{id}/",
        "/api/households/",
        "/api/organisations/",
    } <= set(paths)


def test_api_docs_page_needs_no_inline_code(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page and "<script>" not in page
    assert "swagger-ui-bundle.js" in page
