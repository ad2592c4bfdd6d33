"""Two-factor sign-in: setting it up, the second step after the password, backup codes, who must
use it, and the administrator's reset for a member who lost their phone."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from most import cli
from most.accounts import services
from most.accounts.models import User
from most.accounts.tests.otp import code_of, enrolled, wrong_code
from most.audit.models import AuditEntry

PASSWORD = "correct horse battery"


def forgive(device):
    """Forget the device's wrong codes, as the wait after them does (tests do not sleep)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    StaticDevice.objects.filter(user=device.user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def password_step(email, client=None):
    client = client or Client()
    response = client.post("/app/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client, response


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="admin.a@example.org")


@pytest.fixture
def required_for_admins(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True


def entries(changes_key):
    return [e for e in AuditEntry.objects.order_by("pk") if changes_key in e.changes]


# --- Setting it up ---------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_with_a_first_code(login, alice):
    client = login(alice)
    page = client.get("/app/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "QR code for adding Most" in html
    device = TOTPDevice.objects.get(user=alice.user)
    assert not device.confirmed  # set up, not on yet
    key = re.search(r'id="two-factor-key">([^<]+)<', html)[1]
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", key)  # in groups of four
    # The same key when the page is opened again (the app may have scanned the first).
    assert key in client.get("/app/two-factor/").content.decode()
    assert TOTPDevice.objects.filter(user=alice.user).count() == 1

    refused = client.post("/app/two-factor/", {"code": wrong_code(device)})
    assert refused.status_code == 422
    assert "This code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    forgive(device)
    done = client.post("/app/two-factor/", {"code": code_of(device)})
    assert done.status_code == 200
    html = done.content.decode()
    codes = re.findall(r'<li><code class="secret">([a-z2-7]{8})</code></li>', html)
    assert len(codes) == 10 and "not shown again" in html
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # On, with nothing secret in the trail.
    assert [e.changes["two_factor"] for e in entries("two_factor")] == [
        ["off", "set-up"],
        ["off", "on"],
    ]
    trail = " ".join(f"{e.changes} {e.object_repr}" for e in AuditEntry.objects.all())
    assert key.replace(" ", "") not in trail.upper() and not any(c in trail for c in codes)
    # The session that set it up goes on working, and the page now shows it on.
    assert client.get("/app/").status_code == 200
    status = client.get("/app/two-factor/").content.decode()
    assert "You have 10 unused backup codes." in status
    signing_in, _response = password_step("alice@example.org")
    assert signing_in.post("/app/login/verify/", {"code": codes[0]}).status_code == 302


def test_a_code_that_is_not_six_digits_is_refused_by_the_form(login, alice):
    response = login(alice).post("/app/two-factor/", {"code": "12 34"})
    assert response.status_code == 422
    assert "Enter the 6 digits the app shows" in response.content.decode()


def test_repeated_wrong_codes_make_the_next_attempt_wait(login, alice):
    client = login(alice)
    client.get("/app/two-factor/")
    device = TOTPDevice.objects.get(user=alice.user)
    client.post("/app/two-factor/", {"code": wrong_code(device)})
    # Even the right code waits now, and the page says how long.
    response = client.post("/app/two-factor/", {"code": code_of(device)})
    assert response.status_code == 422
    assert "Too many wrong codes. Wait 1 second, then try again." in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    assert client.post("/app/two-factor/", {"code": code_of(device)}).status_code == 200


# --- Signing in --------------------------------------------------------------------------------


def test_signing_in_takes_the_password_then_a_code_from_the_app(alice, person_a):
    device, _codes = enrolled(alice)
    client, response = password_step("alice@example.org")
    assert response["Location"] == "/app/login/verify/?next=%2Fapp%2F"
    # Not yet: the workspace sends to the code step, the API does not take the session.
    waiting = client.get("/app/persons/")
    assert waiting.status_code == 302
    assert waiting["Location"] == "/app/login/verify/?next=%2Fapp%2Fpersons%2F"
    assert client.get("/api/persons/").status_code == 401
    assert client.get("/api/me/", HTTP_X_ORGANISATION=str(alice.organisation_id)).status_code == 401

    wrong = client.post("/app/login/verify/", {"code": wrong_code(device), "next": "/app/"})
    assert wrong.status_code == 422
    assert "This code is not right" in wrong.content.decode()
    # A right password with a wrong code: the administrator sees it in the audit trail.
    refused = AuditEntry.objects.get(action="refused", actor=alice.user)
    assert refused.changes == {"second_factor": "wrong code"}
    assert refused.organisation == alice.organisation
    forgive(device)
    right = client.post("/app/login/verify/", {"code": code_of(device, 1), "next": "/app/"})
    assert right.status_code == 302 and right["Location"] == "/app/"
    assert client.get("/app/persons/").status_code == 200
    assert client.get("/api/persons/").status_code == 200
    entry = AuditEntry.objects.filter(action="login", actor=alice.user).order_by("pk").last()
    assert entry.changes == {"second_factor": "app"}


def test_a_code_from_the_app_works_once(alice):
    device, _codes = enrolled(alice)
    code = code_of(device, 1)
    client, _response = password_step("alice@example.org")
    assert client.post("/app/login/verify/", {"code": code}).status_code == 302
    client.post("/app/logout/")
    again, _response = password_step("alice@example.org")
    assert again.post("/app/login/verify/", {"code": code}).status_code == 422


def test_a_backup_code_signs_in_once_and_not_twice(alice):
    _device, codes = enrolled(alice)
    client, _response = password_step("alice@example.org")
    response = client.post("/app/login/verify/", {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get("/app/").status_code == 200
    assert StaticToken.objects.filter(device__user=alice.user).count() == 9
    entry = AuditEntry.objects.filter(action="login", actor=alice.user).order_by("pk").last()
    assert entry.changes == {"second_factor": "backup code", "backup_codes": [10, 9]}

    client.post("/app/logout/")
    again, _response = password_step("alice@example.org")
    refused = again.post("/app/login/verify/", {"code": codes[3]})
    assert refused.status_code == 422
    assert again.get("/app/").status_code == 302


def test_backup_codes_are_not_kept_and_outlive_a_new_secret_key(alice, settings):
    _device, codes = enrolled(alice)
    kept = set(StaticToken.objects.filter(device__user=alice.user).values_list("token", flat=True))
    assert len(kept) == 10 and not kept & set(codes)
    # The old secret key stays accepted as a fallback while sessions and codes move on.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    client, _response = password_step("alice@example.org")
    assert client.post("/app/login/verify/", {"code": codes[0]}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(login, alice):
    _device, old = enrolled(alice)
    client = login(alice)  # a session that still owes its code
    client.post("/app/login/verify/", {"code": old[0]})
    response = client.post("/app/two-factor/backup-codes/")
    assert response.status_code == 200
    new = re.findall(
        r'<li><code class="secret">([a-z2-7]{8})</code></li>', response.content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=alice.user).count() == 10
    assert entries("backup_codes")[-1].changes == {"backup_codes": [9, 10]}
    signing_in, _response = password_step("alice@example.org")
    assert signing_in.post("/app/login/verify/", {"code": old[1]}).status_code == 422
    forgive(_device)
    assert signing_in.post("/app/login/verify/", {"code": new[0]}).status_code == 302


def test_a_user_turns_it_off_where_nothing_requires_it(alice):
    _device, codes = enrolled(alice)
    client, _response = password_step("alice@example.org")
    client.post("/app/login/verify/", {"code": codes[0]})
    assert "Turn two-factor sign-in off" in client.get("/app/two-factor/").content.decode()
    assert client.post("/app/two-factor/off/").status_code == 302
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    assert not StaticDevice.objects.filter(user=alice.user).exists()
    assert entries("two_factor")[-1].changes == {"two_factor": ["on", "off"]}
    assert client.get("/app/").status_code == 200
    # The password alone signs in again.
    fresh, response = password_step("alice@example.org")
    assert response["Location"] == "/app/"


def test_the_second_factor_pages_need_the_code_too(alice):
    """A password alone must not turn the second factor off, nor read the backup codes."""
    enrolled(alice)
    client, _response = password_step("alice@example.org")
    for method, url in [
        ("get", "/app/two-factor/"),
        ("post", "/app/two-factor/off/"),
        ("post", "/app/two-factor/backup-codes/"),
        ("get", "/app/token/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/app/login/verify/")
    assert TOTPDevice.objects.filter(user=alice.user, confirmed=True).exists()


def test_the_django_admin_asks_for_the_code_too(client, db):
    root = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    device = services.two_factor_setup(user=root)
    services.two_factor_confirm(user=root, device=device, code=code_of(device))
    assert client.get("/admin/").status_code == 302
    login_page = client.get("/admin/login/?next=/admin/")
    assert login_page["Location"] == "/app/login/?next=/admin/"
    password_step("root@example.org", client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/app/login/verify/?next=%2Fadmin%2F"
    client.post("/app/login/verify/", {"code": code_of(device, 1)})
    assert client.get("/admin/").status_code == 200


# --- Who must use it ---------------------------------------------------------------------------


def test_an_administrator_without_a_second_factor_must_set_one_up(required_for_admins, admin_a):
    client, response = password_step("admin.a@example.org")
    assert response["Location"] == "/app/two-factor/?next=%2Fapp%2F"
    for url in ["/app/", "/app/members/", "/app/persons/", "/app/token/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/app/two-factor/")
    assert client.get("/api/me/").status_code == 401
    assert client.get("/app/login/verify/")["Location"].startswith("/app/two-factor/")
    page = client.get("/app/two-factor/?next=/app/members/")
    assert page.status_code == 200
    assert "Your role or your organisation requires a second factor" in page.content.decode()

    device = TOTPDevice.objects.get(user=admin_a.user)
    done = client.post("/app/two-factor/", {"code": code_of(device), "next": "/app/members/"})
    assert done.status_code == 200 and 'href="/app/members/"' in done.content.decode()
    assert client.get("/app/members/").status_code == 200
    # Required: it stays on.
    assert "it stays on" in client.get("/app/two-factor/").content.decode()
    client.post("/app/two-factor/off/")
    assert TOTPDevice.objects.filter(user=admin_a.user, confirmed=True).exists()


def test_an_administrator_may_log_out_before_setting_it_up(required_for_admins, admin_a):
    client, _response = password_step("admin.a@example.org")
    assert client.post("/app/logout/").status_code == 302
    assert client.get("/app/two-factor/")["Location"].startswith("/app/login/")


def test_with_the_setting_off_an_administrator_signs_in_with_the_password(settings, admin_a):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    client, response = password_step("admin.a@example.org")
    assert response["Location"] == "/app/"
    assert client.get("/app/members/").status_code == 200


def test_an_administrator_requires_it_of_chosen_roles_in_the_organisation(
    charlie, alice, make_member, login
):
    admin = make_member("admin", charlie.organisation)
    viewer = make_member("viewer", charlie.organisation, email="viewer.b@example.org")
    page = login(admin)
    response = page.post("/app/members/two-factor/", {"roles": ["caseworker", "counsellor"]})
    assert response["Location"] == "/app/members/"
    checked = re.findall(
        r'value="(\w+)" id="id_roles_\d+" checked', page.get("/app/members/").content.decode()
    )
    assert checked == ["caseworker", "counsellor"]
    [entry] = entries("two_factor_roles")
    assert (entry.actor, entry.subject_organisation) == (admin.user, charlie.organisation)
    assert entry.changes["two_factor_roles"] == [[], ["caseworker", "counsellor"]]

    client, response = password_step("charlie@example.org")
    assert response["Location"].startswith("/app/two-factor/")
    assert client.get("/app/persons/")["Location"].startswith("/app/two-factor/")
    # Other roles of the organisation, and other organisations' case workers, are not affected.
    for email in (viewer.user.email, "alice@example.org"):
        _client, response = password_step(email)
        assert response["Location"] == "/app/"

    services.two_factor_roles_set(member=admin, roles=[])
    client, response = password_step("charlie@example.org")
    assert response["Location"] == "/app/"
    assert len(entries("two_factor_roles")) == 2


def test_only_roles_from_the_list_are_taken(charlie, make_member, login):
    admin = make_member("admin", charlie.organisation)
    response = login(admin).post("/app/members/two-factor/", {"roles": ["superhero"]})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    charlie.organisation.refresh_from_db()
    assert charlie.organisation.two_factor_roles == []
    assert not entries("two_factor_roles")


def test_the_demo_turns_the_requirement_for_administrators_off(monkeypatch, tmp_path):
    """So that its printed logins, the administrator's too, sign in with the password alone
    (tests/test_first_run.py runs the demo itself)."""
    environment = {"MOST_DATA_DIR": str(tmp_path)}
    monkeypatch.setattr(cli.os, "environ", environment)
    cli._demo_environment()
    assert environment["MOST_TWO_FACTOR_FOR_ADMINS"] == "false"
    # Anything set in the environment wins.
    environment = {"MOST_DATA_DIR": str(tmp_path), "MOST_TWO_FACTOR_FOR_ADMINS": "true"}
    monkeypatch.setattr(cli.os, "environ", environment)
    cli._demo_environment()
    assert environment["MOST_TWO_FACTOR_FOR_ADMINS"] == "true"


# --- A lost phone ------------------------------------------------------------------------------


def test_the_administrator_resets_a_lost_second_factor_and_the_member_sets_up_a_new_one(
    login, admin_a, alice
):
    alice.organisation.two_factor_roles = [alice.role]
    alice.organisation.save()
    old_device, _codes = enrolled(alice)
    _device, admin_codes = enrolled(admin_a)  # required of the administrator too
    administrator = login(admin_a)
    administrator.post("/app/login/verify/", {"code": admin_codes[0]})
    members = administrator.get("/app/members/").content.decode()
    assert f"Reset two-factor sign-in for {alice.user.full_name}" in members

    response = administrator.post(f"/app/members/{alice.pk}/two-factor/reset/", follow=True)
    assert "set up their authenticator app again" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    assert not StaticDevice.objects.filter(user=alice.user).exists()
    entry = entries("two_factor")[-1]
    assert (entry.actor, entry.object_id, entry.subject_organisation, entry.changes) == (
        admin_a.user,
        str(alice.user_id),
        alice.organisation,
        {"two_factor": ["on", "off"]},
    )

    client, response = password_step("alice@example.org")
    assert response["Location"].startswith("/app/two-factor/")
    client.get("/app/two-factor/")
    device = TOTPDevice.objects.get(user=alice.user)
    assert device.key != old_device.key
    assert client.post("/app/two-factor/", {"code": code_of(device)}).status_code == 200
    assert client.get("/app/persons/").status_code == 200


def test_setting_it_up_asks_a_code_of_the_users_other_open_sessions(alice):
    """A phone left signed in with the password alone must not keep working without the code."""
    elsewhere, _response = password_step("alice@example.org")
    assert elsewhere.get("/app/").status_code == 200
    enrolled(alice)
    assert elsewhere.get("/app/")["Location"].startswith("/app/login/verify/")
    assert elsewhere.get("/api/persons/").status_code == 401


def test_a_session_verified_with_a_device_that_was_reset_owes_a_new_one(login, admin_a, alice):
    alice.organisation.two_factor_roles = [alice.role]
    alice.organisation.save()
    _device, codes = enrolled(alice)
    client, _response = password_step("alice@example.org")
    client.post("/app/login/verify/", {"code": codes[0]})
    assert client.get("/app/").status_code == 200
    services.two_factor_reset(member=admin_a, membership=alice)
    assert client.get("/app/")["Location"].startswith("/app/two-factor/")


def test_an_administrator_cannot_reset_a_member_of_another_organisation(login, admin_a, charlie):
    enrolled(charlie)
    response = login(admin_a).post(f"/app/members/{charlie.pk}/two-factor/reset/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=charlie.user, confirmed=True).exists()


def test_an_administrator_resets_their_own_on_their_own_page(login, admin_a):
    _device, codes = enrolled(admin_a)
    client = login(admin_a)
    client.post("/app/login/verify/", {"code": codes[0]})
    response = client.post(f"/app/members/{admin_a.pk}/two-factor/reset/", follow=True)
    assert "on your two-factor sign-in page" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_a.user, confirmed=True).exists()


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer"])
def test_only_administrators_reset_a_second_factor(login, make_member, org_a, alice, role):
    enrolled(alice)
    client = login(make_member(role, org_a))
    assert client.post(f"/app/members/{alice.pk}/two-factor/reset/").status_code == 404
    assert TOTPDevice.objects.filter(user=alice.user, confirmed=True).exists()
