"""On a phone (375×740) nothing scrolls sideways and tables become stacked cards."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
    .map(e => e.outerHTML.slice(0, 80));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 10)};
}"""

CARDS = """(table) => [...table.querySelectorAll('tbody tr')].map(row => ({
  display: getComputedStyle(row).display,
  width: row.getBoundingClientRect().width,
  cells: [...row.querySelectorAll('td[data-label]')].map(td => ({
    display: getComputedStyle(td).display,
    label: td.dataset.label,
    before: getComputedStyle(td, '::before').content,
  })),
}))"""


@pytest.fixture
def phone(new_context, log_in, counsellor):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(context, counsellor)
    return context.new_page()


def assert_no_sideways_scroll(page):
    size = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert size["scrollWidth"] <= size["clientWidth"] + 1, (
        f"{page.url} scrolls sideways on a phone: {size}"
    )


def assert_stacked_cards(page, table):
    expect(table.locator("thead")).to_have_css("position", "absolute")  # only for screen readers
    rows = table.evaluate(CARDS)
    assert rows, "no rows"
    viewport = page.viewport_size["width"]
    for row in rows:
        assert row["display"] == "block", row
        assert row["width"] <= viewport, row
        assert row["cells"], row
        for cell in row["cells"]:
            assert cell["display"] == "block", cell
            # Each cell says what it is: "Born: 12. 3. 1984".
            assert cell["before"] == f'"{cell["label"]}: "', cell


def test_person_list_on_a_phone(phone, family, others):
    page = phone
    page.goto("/app/persons/")
    expect(page.locator("#results tbody tr")).to_have_count(7)
    assert_no_sideways_scroll(page)
    assert_stacked_cards(page, page.locator("#results table"))

    page.locator("#id_q").fill("Олександр")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert_no_sideways_scroll(page)
    assert_stacked_cards(page, page.locator("#results table"))
    assert_accessible(page, "person list on a phone")


def test_person_detail_on_a_phone(phone, family):
    page = phone
    page.goto(f"/app/persons/{family['father'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Олександр Коваленко")
    assert_no_sideways_scroll(page)
    consents = page.locator("#h-consents").locator("xpath=..").locator("table")
    assert_stacked_cards(page, consents)

    page.locator("#consent-form summary").click()
    expect(page.locator("#id_purpose")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page, "person detail on a phone")


def test_household_and_form_on_a_phone(phone, family):
    page = phone
    page.goto(f"/app/persons/households/{family['household'].pk}/")
    expect(page.locator("tbody tr")).to_have_count(4)
    assert_no_sideways_scroll(page)
    assert_stacked_cards(page, page.locator("table"))

    page.goto(f"/app/persons/new/?household={family['household'].pk}")
    expect(page.locator("#person-form")).to_be_visible()
    assert_no_sideways_scroll(page)


def test_a_long_email_address_stays_inside_its_panel(new_context, log_in, counsellor, make_person):
    person = make_person(
        counsellor,
        given_name="Amra",
        family_name="Hodžić",
        email="amra.hodzic.mehmedovic-begovic.sarajevo.ljubljana@organisation.example.org",
    )
    page = new_context(viewport={"width": 1024, "height": 768}).new_page()
    log_in(page.context, counsellor)
    page.goto(f"/app/persons/{person.pk}/")
    panel = page.locator("#h-language").locator("xpath=..").bounding_box()
    address = page.get_by_role("link", name=person.email).bounding_box()
    assert address["x"] + address["width"] <= panel["x"] + panel["width"], (address, panel)
    assert_no_sideways_scroll(page)


def test_the_members_table_on_a_phone(new_context, log_in, make_member, org_a):
    admin = make_member("admin", org_a, email="a.very.long.address.of.an.administrator@example.org")
    make_member("viewer", org_a)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page.context, admin)
    page.goto("/app/members/")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_no_sideways_scroll(page)
    assert_stacked_cards(page, page.locator("table"))
