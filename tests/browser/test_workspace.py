"""The workspace in a real browser: every role's home, what ends soon, a background export, the
household on a phone, the password pages; axe-core finds nothing in English or Slovenian."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PHONE, assert_accessible
from .test_phone import assert_no_sideways_scroll

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "sl"]
ROLES = [
    "admin",
    "coordinator",
    "caseworker",
    "counsellor",
    "mediator",
    "trainer",
    "analyst",
    "viewer",
]


@pytest.fixture
def ending_soon(counsellor, family):
    """The father's residence status ends in a fortnight."""
    from most.people import services

    father = family["father"]
    services.person_update(
        member=counsellor,
        person=father,
        version=father.version,
        fields={"residence_valid_until": timezone.localdate() + datetime.timedelta(days=14)},
    )
    return father


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_roles_home_has_a_menu_and_passes_axe(
    new_context, log_in, make_member, org_a, family, ending_soon, role, language
):
    page = new_context(language=language).new_page()
    log_in(page.context, make_member(role, org_a))
    page.goto("/app/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    nav = page.get_by_role("navigation", name="Main" if language == "en" else "Glavni meni")
    expect(nav).to_be_visible()
    page.locator(".account summary").click()
    expect(page.locator(".account-panel button[type=submit]").last).to_be_visible()  # log out
    if role in {"admin", "coordinator", "caseworker", "counsellor"}:
        expect(page.locator("#h-attention").locator("xpath=..")).to_contain_text(
            "Oleksandr Kovalenko"
        )
    if role in {"admin", "coordinator", "analyst"}:
        expect(page.locator("#h-statistics")).to_be_visible()
    if role in {"trainer", "analyst"}:
        expect(page.locator("#h-viewed")).to_have_count(0)  # no person ever on their home
    assert_accessible(page, f"home of the {role}")


def test_the_home_on_a_phone_shows_the_search_box_near_the_top(
    new_context, log_in, counsellor, family, ending_soon
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page.context, counsellor)
    page.goto("/app/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 100, header  # was 244 px of 812 with the switcher and the tools
    search = page.locator("#home-q").bounding_box()
    assert search["y"] + search["height"] < 360, search
    assert_no_sideways_scroll(page)
    assert_accessible(page, "home on a phone")

    # From the home, a search goes to the person list with the results above the fold.
    page.locator("#home-q").fill("Kovalenko")
    page.locator("#home-q").press("Enter")
    first_row = page.locator("#results tbody tr").first
    expect(first_row).to_be_visible()
    assert first_row.bounding_box()["y"] < PHONE["height"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_ends_soon(new_context, log_in, counsellor, family, ending_soon, language):
    page = new_context(language=language).new_page()
    log_in(page.context, counsellor)
    page.goto("/app/reminders/?kind=residence")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr .native")).to_have_attribute("lang", "uk")
    assert_accessible(page, "ends soon")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_export_runs_in_the_background_with_a_progress_bar(
    new_context, log_in, counsellor, family, language
):
    from django.core.management import call_command

    page = new_context(language=language, accept_downloads=True).new_page()
    log_in(page.context, counsellor)
    page.goto("/app/persons/?q=Kovalenko")
    page.locator(".exports button").click()
    expect(page.locator("progress")).to_be_visible()
    assert_accessible(page, "export waiting")
    call_command("worker", batch=True, verbosity=0)  # the worker runs it; the page polls
    download = page.locator("#job-status a.button")
    expect(download).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert_accessible(page, "export done")
    with page.expect_download() as event:
        download.click()
    assert event.value.suggested_filename.endswith(".xlsx")


def test_a_household_on_a_phone_add_a_member_and_change_a_relationship(
    new_context, log_in, counsellor, family, others
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page.context, counsellor)
    page.goto(f"/app/persons/households/{family['household'].pk}/")
    page.locator("#candidate-q").press_sequentially("Amra", delay=20)
    candidate = page.locator("#candidates li", has_text="Amra Ređepi")
    expect(candidate).to_contain_text("in no household")
    expect(candidate.locator("select")).to_have_value("")  # the family has a head already
    assert_no_sideways_scroll(page)
    assert_accessible(page, "household candidates on a phone")
    candidate.locator("select").select_option("relative")
    candidate.get_by_role("button", name="Add Amra").click()
    expect(page.locator(".messages")).to_contain_text("joined the household")
    row = page.locator("tbody tr", has_text="Amra Ređepi")
    expect(row.locator("select")).to_have_value("relative")
    row.locator("select").select_option("sibling")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("tbody tr", has_text="Amra Ređepi").locator("select")).to_have_value(
        "sibling"
    )
    assert_no_sideways_scroll(page)
    assert_accessible(page, "household on a phone")


def test_the_error_summary_takes_you_to_the_field(new_context, log_in, counsellor):
    page = new_context().new_page()
    log_in(page.context, counsellor)
    page.goto("/app/persons/new/")
    page.locator("#id_birth_date").fill("2099-01-01")
    page.get_by_role("button", name="Register", exact=True).click()
    summary = page.locator("#person-form .form-errors")
    expect(summary).to_be_visible()
    summary.get_by_role(
        "link", name="Date of birth: The date of birth cannot be in the future."
    ).click()
    expect(page.locator("#id_birth_date")).to_be_focused()
    summary.get_by_role("link", name="Sex: This field is required.").click()
    expect(page.locator("#id_sex")).to_be_focused()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_pages(new_context, language, counsellor):
    page = new_context(language=language).new_page()
    page.goto("/app/login/")
    page.locator("a[href='/app/password/forgot/']").click()
    assert_accessible(page, "forgot password")
    page.locator("#id_email").fill("counsellor@example.org")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/app/password/forgot/sent/$"))
    assert_accessible(page, "forgot password, sent")
    page.goto("/app/password/set/MQ/not-a-token/")
    expect(page.locator("a[href='/app/password/forgot/']")).to_be_visible()
    assert_accessible(page, "password link no longer valid")
