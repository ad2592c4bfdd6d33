"""The acceptance scenario: a counsellor registers a Ukrainian family and finds the father again."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

FAMILY = [
    # given name, family name, sex, relationship in the household
    ("Олександр", "Коваленко", "Male", "Head of household"),
    ("Оксана", "Коваленко", "Female", "Spouse or partner"),
    ("Андрій", "Коваленко", "Male", "Child"),
    ("Марія", "Коваленко", "Female", "Child"),
]


def register_in_household(page, given, family, sex, relationship):
    page.get_by_role("link", name="Register a new person in this household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    expect(page.get_by_text("The person joins the household “Kovalenko family”.")).to_be_visible()
    page.locator("#id_given_name").fill(given)
    page.locator("#id_family_name").fill(family)
    # The Latin fields stay empty: they fill in automatically.
    expect(page.locator("#id_given_name_latin")).to_have_value("")
    page.locator("#id_sex").select_option(label=sex)
    page.get_by_label("Relationship in the household").select_option(label=relationship)
    page.get_by_role("button", name="Register", exact=True).click()
    # HTMX posts the form; on success the server sends the browser back to the household.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kovalenko family")
    expect(page.locator(".messages")).to_contain_text("was registered")


def test_a_counsellor_registers_a_family_and_finds_the_father_as_she_types(page, counsellor):
    # Log in.
    page.goto("/app/login/")
    page.locator("#id_username").fill("counsellor@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/app/$"))  # the workspace home

    # Persons → Households → New household.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Persons").click()
    nav.get_by_role("link", name="Households").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Households")
    page.get_by_role("link", name="New household").click()
    page.locator("#id_name").fill("Kovalenko family")
    page.locator("#id_municipality").fill("Ljubljana")
    page.locator("#id_address").fill("Celovška cesta 1")
    page.get_by_role("button", name="Create household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kovalenko family")
    expect(page.get_by_text("No members yet.")).to_be_visible()
    household_url = page.url

    # A family of four, registered from the household page.
    for given, family, sex, relationship in FAMILY:
        register_in_household(page, given, family, sex, relationship)

    members = page.locator("#h-members").locator("xpath=..").locator("tbody tr")
    expect(members).to_have_count(4)
    expect(members.nth(0)).to_contain_text("Oleksandr Kovalenko")
    expect(members.nth(0)).to_contain_text("(Олександр Коваленко)")
    relationships = page.locator("tbody tr select[name=relationship]")
    expect(relationships.nth(0)).to_have_value("head")
    oksana = page.locator("tbody tr", has_text="Oksana Kovalenko")
    expect(oksana.locator("select[name=relationship]")).to_have_value("spouse")
    expect(page.locator("tbody tr select[name=relationship] option:checked")).to_have_text(
        ["Head of household", "Spouse or partner", "Child", "Child"]
    )

    # Oksana becomes the head: the household keeps one, so Oleksandr is changed first.
    oksana.locator("select[name=relationship]").select_option("head")
    oksana.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Oleksandr Kovalenko is already the head")
    father = page.locator("tbody tr", has_text="Oleksandr Kovalenko")
    father.locator("select[name=relationship]").select_option("spouse")
    father.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("was saved")
    oksana = page.locator("tbody tr", has_text="Oksana Kovalenko")
    oksana.locator("select[name=relationship]").select_option("head")
    oksana.get_by_role("button", name="Save").click()
    expect(oksana.locator("select[name=relationship]")).to_have_value("head")

    # The father's record: the Latin form was filled in; record the sharing consent.
    page.get_by_role("link", name="Oleksandr Kovalenko").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Олександр Коваленко")
    expect(page.locator(".subtitle")).to_have_text("Oleksandr Kovalenko")
    expect(page.get_by_text("No consent recorded yet.")).to_be_visible()
    father_url = page.url

    page.get_by_text("Record a consent").click()
    page.locator("#id_purpose").select_option(
        label="Sharing data with other organisations of the network (referrals)"
    )
    page.locator("#id_given_on").fill(timezone.localdate().isoformat())
    page.locator("#id_evidence").select_option(label="Signed form")
    page.get_by_role("button", name="Record consent").click()

    expect(page.locator(".messages")).to_contain_text("The consent was recorded.")
    expect(page).to_have_url(father_url)
    consent = page.locator("tbody tr", has_text="Sharing data with other organisations")
    expect(consent).to_have_count(1)
    expect(consent.locator(".badge")).to_have_text("valid")
    expect(consent).to_contain_text("Signed form")

    # Search as you type, in the Latin form: no submit, HTMX swaps the results in place.
    page.goto("/app/persons/")
    expect(page.locator(".result-count")).to_have_text("4 persons")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#id_q").press_sequentially("Oleksandr", delay=30)

    expect(page.locator(".result-count")).to_have_text("1 person")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th a")).to_have_text("Kovalenko, Oleksandr")
    expect(rows.first.locator(".native")).to_have_text("Коваленко, Олександр")
    expect(rows.first).to_contain_text("Kovalenko family")
    assert page.evaluate("window.stillTheSamePage") is True, "the page reloaded"
    expect(page).to_have_url(re.compile(r"/app/persons/\?q=Oleksandr"))  # shareable, back works

    # The household lists its four members.
    page.goto(household_url)
    expect(page.locator("#h-members").locator("xpath=..").locator("tbody tr")).to_have_count(4)
