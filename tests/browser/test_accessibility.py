"""axe-core finds no violation on the main pages, in English and in Slovenian.

Each page is checked in the state a user sees it: with data, with a search typed, with errors.
"""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "sl"]


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture
def as_user(new_context, log_in, language):
    """as_user(member or None) → a page in the test's language, logged in as that member."""

    def open_page(member):
        context = new_context(language=language)
        if member is not None:
            log_in(context, member)
        return context.new_page()

    return open_page


def check(page, language, what):
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"{what} [{language}]")


def test_login_page(as_user, language):
    page = as_user(None)
    page.goto("/app/login/")
    check(page, language, "login")


def test_login_page_after_a_failed_login(as_user, language, counsellor):
    page = as_user(None)
    page.goto("/app/login/")
    page.locator("#id_username").fill("counsellor@example.org")
    page.locator("#id_password").fill("wrong password")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, language, "login with an error")


def test_person_list(as_user, language, counsellor, family, others):
    page = as_user(counsellor)
    page.goto("/app/persons/")
    expect(page.locator("#results tbody tr")).to_have_count(7)
    check(page, language, "person list")


def test_person_list_with_a_search_typed(as_user, language, counsellor, family, others):
    page = as_user(counsellor)
    page.goto("/app/persons/")
    page.locator("#id_q").press_sequentially("Kovalenko", delay=20)
    expect(page.locator("#results tbody tr")).to_have_count(4)
    check(page, language, "person list, searched")


def test_person_list_with_no_result(as_user, language, counsellor, family):
    page = as_user(counsellor)
    page.goto("/app/persons/?q=zzzzzzzz")
    expect(page.locator("#results tbody tr")).to_have_count(0)
    check(page, language, "person list, nothing found")


def test_person_detail_with_consents_and_household(as_user, language, counsellor, family):
    page = as_user(counsellor)
    page.goto(f"/app/persons/{family['father'].pk}/")
    expect(page.locator("#h-consents").locator("xpath=..").locator("tbody tr")).to_have_count(2)
    check(page, language, "person detail")
    page.locator("#consent-form summary").click()  # the disclosure, open
    expect(page.locator("#id_purpose")).to_be_visible()
    check(page, language, "person detail, consent form open")


def test_consent_form_with_errors(as_user, language, counsellor, family):
    page = as_user(counsellor)
    page.goto(f"/app/persons/{family['father'].pk}/")
    page.locator("#consent-form summary").click()
    page.locator("#consent-form button[type=submit]").click()
    expect(page.locator("#consent-form .form-errors")).to_be_visible()
    check(page, language, "consent form with errors")


def test_person_create_form(as_user, language, counsellor):
    page = as_user(counsellor)
    page.goto("/app/persons/new/")
    expect(page.locator("#person-form")).to_be_visible()
    check(page, language, "person form")


def test_person_form_in_a_household(as_user, language, counsellor, family):
    page = as_user(counsellor)
    page.goto(f"/app/persons/new/?household={family['household'].pk}")
    expect(page.locator("#id_family_name")).to_have_value("Коваленко")
    check(page, language, "person form for a household")


def test_person_form_after_a_failed_submit(as_user, language, counsellor):
    page = as_user(counsellor)
    page.goto("/app/persons/new/")
    page.locator("#id_given_name_latin").fill("Олександр")  # not Latin letters
    page.locator("#id_birth_date").fill("2099-01-01")  # in the future
    page.locator("#person-form button[type=submit]").click()
    expect(page.locator("#person-form .form-errors")).to_be_visible()
    expect(page.locator("#person-form .error").first).to_be_visible()
    assert page.locator("#person-form .has-error").count() >= 2
    check(page, language, "person form with errors")


def test_household_page(as_user, language, counsellor, family, others):
    page = as_user(counsellor)
    page.goto(f"/app/persons/households/{family['household'].pk}/")
    expect(page.locator("tbody tr")).to_have_count(4)
    page.locator("#candidate-q").press_sequentially("Amra", delay=20)  # find someone to add
    expect(page.locator("#candidates li", has_text="Amra Ređepi")).to_be_visible()
    check(page, language, "household")


def test_household_list(as_user, language, counsellor, family):
    page = as_user(counsellor)
    page.goto("/app/persons/households/")
    expect(page.locator(".household-list li")).to_have_count(1)
    check(page, language, "household list")


def test_members_page_as_administrator(as_user, language, admin_member, counsellor):
    page = as_user(admin_member)
    page.goto("/app/members/")
    expect(page.locator("tbody tr")).to_have_count(2)
    check(page, language, "members")


def test_audit_page_as_administrator(as_user, language, admin_member, family):
    page = as_user(admin_member)
    page.goto(f"/app/persons/{family['father'].pk}/")  # a read, so the trail has one too
    page.goto("/app/audit/")
    expect(page.locator("tbody tr").first).to_be_visible()
    check(page, language, "audit trail")
