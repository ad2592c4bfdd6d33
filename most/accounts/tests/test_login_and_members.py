import pytest

from most.accounts.models import Membership, User
from most.audit.models import AuditEntry

PASSWORD = "correct horse battery"


def test_login_by_email_is_case_insensitive_and_audited(client, alice):
    response = client.post("/app/login/", {"username": "Alice@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/app/persons/"
    assert AuditEntry.objects.filter(action="login", actor=alice.user).exists()


def test_wrong_password_gets_a_message(client, alice):
    response = client.post("/app/login/", {"username": "alice@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode().lower() or (
        "please enter a correct" in response.content.decode().lower()
    )


def test_repeated_failures_lock_the_account_out(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/app/login/", {"username": "alice@example.org", "password": "nope"})
    response = client.post("/app/login/", {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_logout_needs_a_post(login, alice):
    client = login(alice)
    assert client.get("/app/logout/").status_code == 405
    assert client.post("/app/logout/").status_code == 302
    assert client.get("/app/persons/").status_code == 302


def test_switching_organisation_changes_what_the_user_sees(login, alice, org_b, person_a, person_b):
    Membership.objects.create(user=alice.user, organisation=org_b, role="caseworker")
    client = login(alice)
    assert "Kovalenko" in client.get("/app/persons/").content.decode()
    client.post("/app/organisation/", {"organisation": org_b.pk})
    page = client.get("/app/persons/").content.decode()
    assert "Al-Hassan" in page and "Kovalenko" not in page


def test_a_user_cannot_switch_to_an_organisation_they_are_not_in(login, alice, org_b):
    assert login(alice).post("/app/organisation/", {"organisation": org_b.pk}).status_code == 404


def test_a_user_without_membership_gets_a_clear_page(client, db):
    user = User.objects.create_user(email="lonely@example.org", password=PASSWORD, full_name="L")
    client.force_login(user)
    response = client.get("/app/persons/")
    assert response.status_code == 403
    assert "do not work for any organisation" in response.content.decode()


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a)


def test_admin_adds_a_new_member_who_can_log_in(login, admin_a, client):
    response = login(admin_a).post(
        "/app/members/add/",
        {"email": "New.Person@Example.org", "full_name": "Nova Oseba", "role": "caseworker"},
    )
    assert response.status_code == 200
    user = User.objects.get(email="new.person@example.org")
    password = response.context["new_password"]
    assert user.check_password(password)
    assert Membership.objects.get(user=user).role == "caseworker"


def test_adding_a_duplicate_email_is_refused_with_a_message(login, admin_a, alice):
    response = login(admin_a).post(
        "/app/members/add/", {"email": "ALICE@example.org", "full_name": "Alice", "role": "viewer"}
    )
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(user=alice.user).count() == 1


def test_an_existing_user_from_another_organisation_is_added_without_a_new_account(
    login, make_member, org_b, charlie
):
    admin_b_of_a = make_member("admin", charlie.organisation)
    response = login(admin_b_of_a).post(
        "/app/members/add/", {"email": "alice2@example.org", "full_name": "A", "role": "viewer"}
    )
    assert response.status_code == 200 and response.context["new_password"]


def test_ended_membership_loses_access(login, admin_a, bob):
    login(admin_a).post(f"/app/members/{bob.pk}/end/")
    bob.refresh_from_db()
    assert not bob.is_active


def test_a_user_deactivated_while_logged_in_is_logged_out(login, alice, client):
    login(alice)
    User.objects.filter(pk=alice.user_id).update(is_active=False)
    response = client.get("/app/persons/")
    assert response.status_code == 302 and response["Location"].startswith("/app/login/")


def test_a_page_reads_the_user_with_their_memberships_in_one_query(login, alice, org_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Membership.objects.create(user=alice.user, organisation=org_b, role="viewer")
    client = login(alice)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/app/persons/").content.decode()
    assert org_b.name in page  # the organisation switcher lists both memberships
    reading_accounts = [q["sql"] for q in captured if '"accounts_' in q["sql"].split("WHERE")[0]]
    assert len(reading_accounts) == 1, reading_accounts
