import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_logging_in_through_the_form_lands_on_the_person_list(page, counsellor):
    page.goto("/app/persons/")
    expect(page).to_have_url(re.compile(r"/app/login/\?next=/app/persons/$"))
    expect(page.locator("#id_username")).to_be_focused()  # autofocus: type straight away

    page.locator("#id_username").fill("Counsellor@Example.org ")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/app/persons/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Persons")
    expect(page.get_by_role("link", name="Persons", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".user-name")).to_have_text(counsellor.user.full_name)


def test_a_wrong_password_keeps_you_on_the_login_page_with_an_alert(page, counsellor):
    page.goto("/app/login/")
    page.locator("#id_username").fill("counsellor@example.org")
    page.locator("#id_password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/app/login/$"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_password")).to_have_value("")


def test_the_language_switcher_in_the_header_changes_the_interface(page, counsellor, log_in):
    log_in(page.context, counsellor)
    page.goto("/app/persons/?q=kovalenko")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator(".account summary").click()  # the menu under the user's name
    page.locator("#language-switch").select_option("sl")
    page.locator("#language-switch").locator("xpath=..").get_by_role("button").click()

    expect(page.locator("html")).to_have_attribute("lang", "sl")
    expect(page).to_have_url(re.compile(r"/app/persons/\?q=kovalenko$"))  # back where you were
    page.locator(".account summary").click()
    expect(page.locator("#language-switch")).to_have_value("sl")
    with translation.override("sl"):  # whatever the Slovenian catalogue says today
        persons = translation.gettext("Persons")
    expect(page.get_by_role("heading", level=1)).to_have_text(persons)
