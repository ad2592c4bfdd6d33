"""Two-factor sign-in in a real browser: setting it up from the page's own key, signing in with
the password and then a code, and the API token page; axe-core on each of their pages."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser


def code_for(key, steps=0):
    """What an authenticator app shows for the key typed from the page ("ABCD EFGH ...")."""
    key = key.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def set_up(page):
    """On the set-up page: type the key's current code, as a person with the app would."""
    key = page.locator("#two-factor-key").inner_text()
    page.locator("#id_code").fill(code_for(key))
    page.locator("main button[type=submit]").click()  # turn it on, in any language
    return key


def test_setting_up_two_factor_sign_in_then_signing_in_with_a_code(new_context, log_in, counsellor):
    page = new_context().new_page()
    log_in(page.context, counsellor)
    page.goto("/app/")
    page.locator(".account summary").click()  # the menu under the user's name
    page.get_by_role("link", name="Two-factor sign-in").click()

    expect(page).to_have_url(re.compile(r"/app/two-factor/$"))
    expect(page.get_by_role("img", name=re.compile("QR code for adding Most"))).to_be_visible()
    key = page.locator("#two-factor-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", key)
    assert_accessible(page, "two-factor set-up")

    set_up(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    backup = page.locator("#backup-codes li").first.inner_text()
    assert_accessible(page, "backup codes")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/app/$"))

    # Another browser: the password, then the code step.
    other = new_context().new_page()
    other.goto("/app/persons/")
    other.locator("#id_username").fill("counsellor@example.org")
    other.locator("#id_password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other).to_have_url(re.compile(r"/app/login/verify/\?next=%2Fapp%2Fpersons%2F$"))
    expect(other.locator("#id_code")).to_be_focused()
    assert_accessible(other, "code step")

    wrong = next(c for c in ("000000", "111111") if c not in {code_for(key, s) for s in (-1, 0, 1)})
    other.locator("#id_code").fill(wrong)
    other.get_by_role("button", name="Continue").click()
    expect(other.get_by_role("alert")).to_contain_text("This code is not right")
    assert_accessible(other, "code step with an error")

    other.wait_for_timeout(1100)  # the wait after one wrong code
    other.locator("#id_code").fill(code_for(key, 1))
    other.get_by_role("button", name="Continue").click()
    expect(other).to_have_url(re.compile(r"/app/persons/$"))
    expect(other.get_by_role("heading", level=1)).to_have_text("Persons")

    # A third browser signs in with a backup code.
    third = new_context().new_page()
    third.goto("/app/login/")
    third.locator("#id_username").fill("counsellor@example.org")
    third.locator("#id_password").fill(PASSWORD)
    third.get_by_role("button", name="Log in").click()
    third.locator("#id_code").fill(backup)
    third.get_by_role("button", name="Continue").click()
    expect(third).to_have_url(re.compile(r"/app/$"))


def test_the_api_token_page(page, log_in, counsellor):
    log_in(page.context, counsellor)
    page.goto("/app/token/")
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    assert_accessible(page, "API token, none yet")
    page.get_by_role("button", name="Make a token").click()
    expect(page.locator("#api-token-key")).to_have_text(re.compile(r"^[0-9a-f]{40}$"))
    assert_accessible(page, "API token, just made")
    page.goto("/app/token/")
    expect(page.locator("#api-token-key")).to_have_count(0)  # shown once


@pytest.mark.parametrize("language", ["en", "sl"])
def test_two_factor_pages_are_accessible_in_both_languages(
    new_context, log_in, counsellor, admin_member, language
):
    page = new_context(language=language).new_page()
    log_in(page.context, counsellor)
    page.goto("/app/two-factor/")
    assert_accessible(page, f"two-factor set-up [{language}]")
    page.locator("#id_code").fill("12")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"two-factor set-up with an error [{language}]")
    set_up(page)
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.goto("/app/two-factor/")  # on: the status page
    assert_accessible(page, f"two-factor status [{language}]")

    verify = new_context(language=language).new_page()
    log_in(verify.context, counsellor)  # a session that has not entered its code
    verify.goto("/app/")
    expect(verify).to_have_url(re.compile(r"/app/login/verify/"))
    assert_accessible(verify, f"code step [{language}]")

    members = new_context(language=language).new_page()
    log_in(members.context, admin_member)
    members.goto("/app/members/")
    expect(members.locator("main form[action$='/two-factor/reset/']")).to_have_count(1)
    assert_accessible(members, f"members with a second factor to reset [{language}]")
