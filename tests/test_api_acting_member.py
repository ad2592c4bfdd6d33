"""Which organisation an API call acts for, what it may read in bulk, and that it is audited."""

import datetime

import pytest

from most.accounts.models import Membership
from most.audit.models import AuditEntry
from most.people import services


@pytest.fixture
def two_jobs(alice, org_b, make_person, charlie):
    """alice also volunteers at org B (as a case worker); each organisation has a person."""
    make_person(alice, given_name="Amra", family_name="Hodžić")
    make_person(charlie, given_name="Fatima", family_name="Al-Hassan")
    return Membership.objects.create(user=alice.user, organisation=org_b, role="caseworker")


def names(response):
    return [person["family_name_latin"] for person in response.json()["results"]]


def test_a_signed_in_browser_acts_for_the_organisation_chosen_in_the_switcher(
    client, alice, two_jobs, org_b
):
    client.force_login(alice.user)
    assert names(client.get("/api/persons/")) == ["Hodžić"]
    client.post("/app/organisation/", {"organisation": org_b.pk})
    assert names(client.get("/api/persons/")) == ["Al-Hassan"]
    # The header still wins.
    response = client.get("/api/persons/", HTTP_X_ORGANISATION=str(alice.organisation_id))
    assert names(response) == ["Hodžić"]


def test_a_token_acts_for_the_first_membership_until_told_otherwise(api_as, alice, two_jobs, org_b):
    client = api_as(alice)
    # org B ("Zavod ...") sorts after org A's name either way; the membership is newer: no change.
    assert names(client.get("/api/persons/")) == ["Hodžić"]
    assert names(client.get("/api/persons/", HTTP_X_ORGANISATION=str(org_b.pk))) == ["Al-Hassan"]
    assert client.get("/api/persons/", HTTP_X_ORGANISATION="999999").status_code == 403


def test_being_added_to_an_organisation_that_sorts_first_changes_nothing(
    api_as, alice, make_org, make_person
):
    make_person(alice, given_name="Amra", family_name="Hodžić")
    earlier = make_org("Aaa Društvo")  # first in the switcher's alphabetical order
    Membership.objects.create(user=alice.user, organisation=earlier, role="viewer")
    client = api_as(alice)
    assert names(client.get("/api/persons/")) == ["Hodžić"]


@pytest.mark.parametrize(
    ("role", "largest_page"), [("viewer", 25), ("mediator", 25), ("caseworker", 200)]
)
def test_a_role_that_may_not_export_reads_no_more_than_a_page_at_a_time(
    api_as, make_member, org_a, make_person, role, largest_page
):
    keeper = make_member("caseworker", org_a)
    for n in range(30):
        make_person(keeper, given_name=f"Amra{n}", family_name="Hodžić")
    member = make_member(role, org_a)
    client = api_as(member)
    data = client.get("/api/persons/?page_size=200").json()
    assert len(data["results"]) == min(30, largest_page) and data["count"] == 30


def test_every_api_read_of_persons_is_audited_with_their_ids(api_as, alice, make_person):
    person = make_person(alice, given_name="Amra", family_name="Hodžić")
    household = services.household_create(member=alice, name="Hodžić")
    services.household_add_member(
        member=alice, household=household, person=person, relationship="head"
    )
    services.consent_record(
        member=alice,
        person=person,
        fields={"purpose": "photos", "given_on": datetime.date.today(), "evidence": "signed"},
    )
    client = api_as(alice)
    for url, action in [
        ("/api/persons/", "list"),
        ("/api/persons/?q=amra", "search"),
        ("/api/households/", "list"),
        (f"/api/households/{household.pk}/", "list"),
        (f"/api/persons/{person.pk}/consents/", "view"),
    ]:
        before = AuditEntry.objects.count()
        assert client.get(url).status_code == 200
        assert AuditEntry.objects.count() == before + 1, url
        entry = AuditEntry.objects.latest("pk")
        assert entry.action == action, url
        shown = entry.person_id or list(entry.persons.values_list("person_id", flat=True))
        assert shown in (person.pk, [person.pk]), url


def test_a_grant_shows_the_same_fields_on_the_page_and_in_the_api(
    client, alice, charlie, make_person
):
    person = make_person(
        alice,
        given_name="Amra",
        family_name="Hodžić",
        address="Vojkova cesta 12",
        phone="041 555 123",
        birth_year=1990,
    )
    consent = services.consent_record(
        member=alice,
        person=person,
        fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
    )
    services.access_grant_create(
        member=alice,
        person=person,
        organisation=charlie.organisation,
        fields=["address"],
        reason="referral",
        consent=consent,
    )
    client.force_login(charlie.user)
    data = client.get(f"/api/persons/{person.pk}/").json()
    page = client.get(f"/app/persons/{person.pk}/").content.decode()
    assert data["address"] == "Vojkova cesta 12" and "Vojkova cesta 12" in page
    assert "phone" not in data and "041 555 123" not in page
    assert "birth_year" not in data and "1990" not in page


@pytest.mark.parametrize(
    ("url", "statements"),
    [
        # Token and user; the throttle in the shared cache (read, then a write that counts the
        # cache's rows; 5 with the write's savepoint); the membership; the count, the page, its
        # other names, languages and vulnerabilities; the audit entry and its persons (4).
        ("/api/persons/", 17),
        # The same; the words' statistics and the ranked ids before the page, the exact count;
        # the key that seals the words searched.
        ("/api/persons/?q=Hodzic", 20),
        # Token, throttle, membership; count, households, their members; the audit entry.
        ("/api/households/", 15),
    ],
)
def test_api_lists_read_a_fixed_number_of_statements(
    api_as, alice, make_person, django_assert_num_queries, url, statements
):
    for n in range(12):
        person = make_person(alice, given_name=f"Amra{n}", family_name="Hodžić", aliases=["A"])
        household = services.household_create(member=alice, name=f"Hodžić {n}")
        services.household_add_member(
            member=alice, household=household, person=person, relationship="head"
        )
    client = api_as(alice)
    client.get(url)
    with django_assert_num_queries(statements):
        assert client.get(url).status_code == 200
