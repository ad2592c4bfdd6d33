"""A member's own API token: made (and replaced) on their token page, the key shown once; the
administrator revokes it on the members page. Every change audited, never with the key."""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from most.audit.models import AuditEntry


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="admin.a@example.org")


def key_on(page):
    return re.search(r'id="api-token-key">([0-9a-f]{40})<', page.content.decode())[1]


def api_status(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/me/").status_code


def trail():
    return " ".join(f"{e.object_id} {e.object_repr} {e.changes}" for e in AuditEntry.objects.all())


def test_a_member_makes_a_token_and_sees_its_key_once(login, alice):
    client = login(alice)
    assert "You have no API token." in client.get("/app/token/").content.decode()

    made = client.post("/app/token/")
    assert made.status_code == 200
    key = key_on(made)
    assert Token.objects.get(user=alice.user).key == key
    assert "shown only this once" in made.content.decode()
    assert api_status(key) == 200

    later = client.get("/app/token/").content.decode()
    assert key not in later and "You have a token, made on" in later

    entry = AuditEntry.objects.get(changes__api_token__isnull=False)
    assert (entry.action, entry.object_type, entry.object_id, entry.changes) == (
        "create",
        "accounts.user",
        str(alice.user_id),
        {"api_token": ["none", "new"]},
    )
    assert key not in trail()


def test_a_new_token_replaces_the_old_one(login, alice):
    client = login(alice)
    old = key_on(client.post("/app/token/"))
    new = key_on(client.post("/app/token/"))
    assert old != new
    assert api_status(old) == 401 and api_status(new) == 200
    entry = AuditEntry.objects.filter(changes__api_token__isnull=False).order_by("pk").last()
    assert (entry.action, entry.changes) == ("update", {"api_token": ["old", "new"]})
    assert old not in trail() and new not in trail()


def test_the_administrator_revokes_a_members_token(login, admin_a, alice, alice_api):
    key = Token.objects.get(user=alice.user).key
    assert alice_api.get("/api/me/").status_code == 200
    client = login(admin_a)
    page = client.get("/app/members/").content.decode()
    assert f"Revoke the API token of {alice.user.full_name}" in page

    response = client.post(f"/app/members/{alice.pk}/token/revoke/", follow=True)
    assert "API token no longer works" in response.content.decode()
    assert alice_api.get("/api/me/").status_code == 401
    assert not Token.objects.filter(user=alice.user).exists()
    entry = AuditEntry.objects.get(changes__api_token__isnull=False)
    assert (entry.actor, entry.object_id, entry.subject_organisation, entry.changes) == (
        admin_a.user,
        str(alice.user_id),
        alice.organisation,
        {"api_token": ["old", "none"]},
    )
    assert key not in trail()
    # Nothing left to revoke: a message, no entry.
    again = client.post(f"/app/members/{alice.pk}/token/revoke/", follow=True)
    assert "has no API token" in again.content.decode()
    assert AuditEntry.objects.filter(changes__api_token__isnull=False).count() == 1


def test_an_administrator_cannot_revoke_the_token_of_another_organisations_member(
    login, admin_a, charlie, api_as
):
    api = api_as(charlie)
    assert login(admin_a).post(f"/app/members/{charlie.pk}/token/revoke/").status_code == 404
    assert api.get("/api/me/").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer"])
def test_only_administrators_revoke_tokens(login, make_member, org_a, alice, alice_api, role):
    client = login(make_member(role, org_a))
    assert client.post(f"/app/members/{alice.pk}/token/revoke/").status_code == 404
    assert alice_api.get("/api/me/").status_code == 200
