import re

import pytest

from most.accounts.models import Membership, User
from most.audit.models import AuditEntry

PASSWORD = "correct horse battery"


def test_login_by_email_is_case_insensitive_and_audited(client, alice):
    response = client.post("/app/login/", {"username": "Alice@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/app/"
    assert AuditEntry.objects.filter(action="login", actor=alice.user).exists()


def test_wrong_password_gets_a_message(client, alice):
    response = client.post("/app/login/", {"username": "alice@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode().lower() or (
        "please enter a correct" in response.content.decode().lower()
    )


# Repeated failures slow further attempts down (no lock-out): test_login_throttling.py.
def test_the_login_page_says_that_wrong_passwords_slow_down_attempts(client, db):
    page = client.get("/app/login/").content.decode()
    assert "each further attempt has to wait a little longer, up to a minute" in page


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


def added(client, email, full_name="Nova Oseba", role="caseworker", capture=None):
    with capture(execute=True):
        return client.post(
            "/app/members/add/", {"email": email, "full_name": full_name, "role": role}
        )


def test_a_new_member_chooses_a_password_from_the_invitation_and_logs_in(
    login, admin_a, client, mailoutbox, django_capture_on_commit_callbacks
):
    response = added(
        login(admin_a), "New.Person@Example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "We sent them an e-mail" in response.content.decode()
    user = User.objects.get(email="new.person@example.org")
    assert Membership.objects.get(user=user).role == "caseworker"
    [invitation] = mailoutbox
    assert invitation.to == ["new.person@example.org"]
    link = re.search(r"https?://\S+/app/password/set/\S+", invitation.body)[0]
    client.logout()
    form = client.get(
        link.split("//", 1)[1].split("/", 1)[1] and "/" + link.split("/", 3)[3], follow=True
    )
    assert form.status_code == 200 and "Choose a password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new password 42", "new_password2": "a long new password 42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long new password 42")


def test_adding_an_existing_account_looks_the_same_to_the_administrator(
    login, make_member, org_b, charlie, alice, mailoutbox, django_capture_on_commit_callbacks
):
    admin_b = make_member("admin", charlie.organisation)
    client = login(admin_b)
    existing = added(
        client, "alice@example.org", role="viewer", capture=django_capture_on_commit_callbacks
    )
    new = added(
        client, "nobody@example.org", role="viewer", capture=django_capture_on_commit_callbacks
    )
    assert existing.status_code == new.status_code == 200
    assert existing.content.decode().replace("alice@", "X@").count("We sent them an e-mail") == 1
    assert new.content.decode().count("We sent them an e-mail") == 1
    # No account was made for alice; her e-mail tells her where she can now work, no password.
    assert User.objects.filter(email="alice@example.org").count() == 1
    to_alice = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert "/app/password/set/" not in to_alice.body and charlie.organisation.name in to_alice.body


def test_adding_a_duplicate_email_is_refused_with_a_message(login, admin_a, alice):
    response = login(admin_a).post(
        "/app/members/add/", {"email": "ALICE@example.org", "full_name": "Alice", "role": "viewer"}
    )
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(user=alice.user).count() == 1


def test_forgot_password_answers_the_same_for_any_address(client, alice, mailoutbox):
    for email in ["alice@example.org", "nobody@example.org"]:
        response = client.post("/app/password/forgot/", {"email": email})
        assert response.status_code == 302
        assert response["Location"] == "/app/password/forgot/sent/"
    [message] = mailoutbox
    assert message.to == ["alice@example.org"] and "/app/password/set/" in message.body


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
