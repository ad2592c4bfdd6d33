"""The workspace home: every role lands on a page that says what it can do and what is due."""

import datetime

import pytest
from django.utils import timezone

from most.audit.models import AuditEntry
from most.people import services

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def registry(make_person, alice, charlie):
    """alice's organisation: residence statuses and consents ending at different times."""
    soon = make_person(
        alice,
        given_name="Олена",
        family_name="Коваленко",
        country_of_origin="UA",
        residence_valid_from=days(-300),
        residence_valid_until=days(10),
    )
    later = make_person(
        alice, given_name="Amra", family_name="Hodžić", residence_valid_until=days(90)
    )
    expired = make_person(
        alice, given_name="Arta", family_name="Berisha", residence_valid_until=days(-1)
    )
    consenting = make_person(alice, given_name="Jiyan", family_name="Demir")
    services.consent_record(
        member=alice,
        person=consenting,
        fields={
            "purpose": "sharing",
            "given_on": days(-100),
            "expires_on": days(20),
            "evidence": "signed",
        },
    )
    withdrawn = services.consent_record(
        member=alice,
        person=later,
        fields={
            "purpose": "photos",
            "given_on": days(-100),
            "expires_on": days(5),
            "evidence": "signed",
        },
    )
    services.consent_withdraw(member=alice, consent=withdrawn)
    elsewhere = make_person(
        charlie, given_name="Fatima", family_name="Al-Hassan", residence_valid_until=days(3)
    )
    return {
        "soon": soon,
        "later": later,
        "expired": expired,
        "consenting": consenting,
        "elsewhere": elsewhere,
    }


def test_a_counsellor_sees_what_ends_within_sixty_days_in_their_organisation(
    login, alice, registry
):
    page = login(alice).get("/app/").content.decode()
    attention = page.split('id="h-attention"')[1].split("</section>")[0]
    assert "Olena Kovalenko" in attention and "Jiyan Demir" in attention
    assert "Amra Hodžić" not in attention  # in 90 days; and her consent was withdrawn
    assert "Arta Berisha" not in attention  # already ended
    assert "Fatima" not in page  # another organisation's
    assert "1 residence status ends soon" in attention and "1 consent ends soon" in attention
    # The native name is marked with its language, for screen readers.
    assert '<span class="native" dir="auto" lang="uk">Олена Коваленко</span>' in attention


def test_the_full_list_of_what_ends_soon_is_one_kind_at_a_time(login, alice, registry):
    client = login(alice)
    residence = client.get("/app/reminders/?kind=residence").content.decode()
    assert "Olena Kovalenko" in residence and "Jiyan Demir" not in residence
    consents = client.get("/app/reminders/?kind=consent").content.decode()
    assert "Jiyan Demir" in consents and "Olena Kovalenko" not in consents


def test_recently_viewed_and_registered_persons(login, alice, registry):
    client = login(alice)
    client.get(f"/app/persons/{registry['expired'].pk}/")
    page = client.get("/app/").content.decode()
    viewed = page.split('id="h-viewed"')[1].split("</section>")[0]
    assert "Arta Berisha" in viewed and "Jiyan Demir" not in viewed
    registered = page.split('id="h-registered"')[1].split("</section>")[0]
    assert registered.index("Jiyan Demir") < registered.index("Olena Kovalenko")  # newest first


def test_the_home_is_audited_once_with_the_persons_it_showed(login, alice, registry):
    login(alice).get("/app/")
    entry = AuditEntry.objects.get(action="list", object_repr="workspace")
    shown = set(entry.persons.values_list("person_id", flat=True))
    assert {registry["soon"].pk, registry["consenting"].pk} <= shown
    assert registry["elsewhere"].pk not in shown


def test_the_home_reads_a_fixed_number_of_statements(
    login, alice, registry, make_person, django_assert_num_queries
):
    client = login(alice)
    client.get(f"/app/persons/{registry['later'].pk}/")
    for n in range(20):
        make_person(
            alice, given_name=f"Amra{n}", family_name="Hodžić", residence_valid_until=days(n + 1)
        )
    # + the referrals waiting in the inbox, the unread notices
    with django_assert_num_queries(16):
        assert client.get("/app/").status_code == 200


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        ("admin", ["Needs attention", "Audit trail", "Your organisation in figures"], []),
        (
            "coordinator",
            ["Needs attention", "Your organisation in figures", "Programmes"],
            ["Audit trail"],
        ),
        ("caseworker", ["Needs attention", "Register a person"], ["in figures"]),
        ("counsellor", ["Needs attention", "Recently viewed"], ["in figures"]),
        (
            "mediator",
            ["Recently viewed", "weekly schedule"],
            ["Needs attention", "Register a person"],
        ),
        ("viewer", ["Recently viewed", "Find a person"], ["Needs attention", "Register a person"]),
        ("analyst", ["Your organisation in figures", "Indicators"], ["Recently viewed", "Olena"]),
        (
            "trainer",
            ["Courses for professionals", "Log out"],
            ["Recently viewed", "Olena", "figures"],
        ),
    ],
)
def test_every_role_has_a_home_with_a_menu(
    login, make_member, org_a, registry, role, sees, does_not_see
):
    response = login(make_member(role, org_a)).get("/app/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-label="Main"' in page and "/app/logout/" in page
    for text in sees:
        assert text in page, text
    for text in does_not_see:
        assert text not in page, text


def test_analysts_see_small_counts_hidden(login, make_member, org_a, alice, make_person):
    for n in range(6):
        make_person(alice, given_name=f"Olena{n}", family_name="Kovalenko", country_of_origin="UA")
    for n in range(2):
        make_person(alice, given_name=f"Amra{n}", family_name="Hodžić", country_of_origin="BA")
    make_person(alice, given_name="Abeba", family_name="Tesfaye", country_of_origin="ER")
    page = login(make_member("analyst", org_a)).get("/app/").content.decode()
    figures = page.split('id="h-statistics"')[1].split("</section>")[0]
    assert "9 persons are registered" in figures
    assert '<th scope="row">Ukraine</th><td>6</td>' in figures
    assert figures.count("fewer than 5") >= 2  # Eritrea and Bosnia, never alone
    assert ">1<" not in figures and ">2<" not in figures


def test_login_lands_on_the_home(client, alice):
    response = client.post(
        "/app/login/", {"username": "alice@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/app/"
