"""The catalogue of professionals: every member of staff finds colleagues across the network,
and sees of another organisation's professional only what they chose to share."""

import json

import pytest
from django.test import Client

from most.directory.models import Professional

pytestmark = pytest.mark.django_db


def entry(**changes):
    data = {
        "roles": ["mediator", "interpreter"],
        "skills": "Mediation with schools in Jesenice",
        "languages": ["sq", "sl"],
        "qualifications": "Certified court interpreter",
        "regions": ["Gorenjska"],
        "availability": "Mondays",
        "phone": "041 555 201",
        "email": "arben@example.org",
        "listed": "on",
        "shared": ["languages", "regions"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def arben(login, make_member, org_b):
    """A mediator of organisation B with an entry: languages and regions shared, the rest not."""
    member = make_member("mediator", org_b, email="arben@example.org")
    response = login(member).post("/app/professionals/mine/", entry())
    assert response.status_code == 302
    return member


def cards(client, query=""):
    return client.get(f"/app/professionals/?{query}").content.decode()


@pytest.mark.parametrize("role", ["admin", "caseworker", "trainer", "analyst", "viewer"])
def test_another_organisation_sees_only_what_is_shared(login, make_member, org_a, arben, role):
    page = cards(login(make_member(role, org_a)))
    assert arben.user.full_name in page
    assert "Albanian" in page and "Gorenjska" in page  # shared
    for hidden in ("Mediation with schools", "court interpreter", "Mondays", "041 555 201"):
        assert hidden not in page


def test_colleagues_see_everything(login, make_member, org_b, arben):
    page = cards(login(make_member("caseworker", org_b)))
    for text in ("Mediation with schools", "court interpreter", "Mondays", "041 555 201"):
        assert text in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("role=mediator", True),
        ("role=trainer", False),
        ("language=sq", True),
        ("region=Gorenjska", True),
        ("region=Pomurska", False),
        # What is not shared cannot be found by searching for it either.
        ("q=court", False),
        ("q=mondays", False),
        ("q=albanian", True),
    ],
)
def test_search_finds_on_shared_fields_only(login, make_member, org_a, arben, query, found):
    page = cards(login(make_member("caseworker", org_a)), query)
    assert (arben.user.full_name in page) is found


def test_a_colleague_searches_every_field(login, make_member, org_b, arben):
    page = cards(login(make_member("caseworker", org_b)), "q=court")
    assert arben.user.full_name in page


def test_an_unlisted_professional_is_seen_by_colleagues_only(login, make_member, org_a, org_b):
    member = make_member("counsellor", org_b)
    login(member).post("/app/professionals/mine/", entry(listed=None, shared=["skills"]))
    assert member.user.full_name not in cards(login(make_member("caseworker", org_a)))
    assert member.user.full_name in cards(login(make_member("caseworker", org_b)))


def test_a_professional_downloads_and_removes_their_entry(login, arben):
    client = login(arben)
    exported = json.loads(client.get("/app/professionals/mine/export.json").content)
    assert exported["roles"] == ["mediator", "interpreter"]
    assert exported["phone"] == "041 555 201" and exported["shared"] == ["languages", "regions"]
    client.post("/app/professionals/mine/remove/")
    assert not Professional.objects.exists()
    assert json.loads(client.get("/app/professionals/mine/export.json").content) == {}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": []}, "This field is required"),
        ({"roles": ["astrologer"]}, "Select a valid choice"),
        ({"languages": ["xx"]}, "Select a valid choice"),
        ({"regions": ["Atlantis"]}, "Select a valid choice"),
        ({"shared": ["password"]}, "Select a valid choice"),
        ({"email": "not-an-address"}, "valid email"),
        ({"skills": "x" * 2001}, "at most 2000"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(login, make_member, org_a, changes, message):
    response = login(make_member("mediator", org_a)).post(
        "/app/professionals/mine/", entry(**changes)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Professional.objects.exists()


def test_the_catalogue_is_for_staff_only(arben):
    response = Client().get("/app/professionals/")
    assert response.status_code == 302 and response["Location"].startswith("/app/login/")


def test_no_public_page_or_hsds_answer_shows_a_professional_or_a_person(
    client, arben, make_person, make_member, org_a
):
    """The public finder and the open HSDS API publish the catalogue's services only: not the
    professionals (whatever they share with the network) nor anyone of the registry."""
    from most.demo.catalogue import seed_catalogue

    seed_catalogue()
    make_person(make_member("caseworker", org_a), given_name="Oleksandr", family_name="Kovalenko")
    anonymous = Client()
    urls = ["/", "/services/", "/services/?q=arben", "/api/hsds/organizations?full_service=true"]
    urls += [
        "/api/hsds/services?full=true&per_page=200",
        "/api/hsds/service_at_locations?full=true",
    ]
    for url in urls:
        page = anonymous.get(url).content.decode()
        for private in (arben.user.full_name, "041 555 201", "Kovalenko", "arben@example.org"):
            assert private not in page, (url, private)
