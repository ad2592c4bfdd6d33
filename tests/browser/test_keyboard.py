"""Everything on the person list works from the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def outline(page):
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")


def tab_to(page, selector, limit=15):
    """Press Tab until the element matching `selector` has the focus; return the path taken."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        path.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return path
    raise AssertionError(f"Tab never reached {selector}; focus went through:\n" + "\n".join(path))


@pytest.fixture
def person_list(page, log_in, counsellor, family, others):
    log_in(page.context, counsellor)
    page.goto("/app/persons/")
    expect(page.locator("#results tbody tr")).to_have_count(7)
    return page


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_main_content(person_list):
    page = person_list
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to main content")
    box = skip.bounding_box()  # off-screen until focused, then visible
    assert box and box["x"] >= 0 and box["y"] >= 0, box
    assert outline(page) == "solid"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes into the content, past the whole header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Register a person")).to_be_focused()


def test_search_with_the_keyboard_only(person_list):
    page = person_list
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link
    tab_to(page, "#id_q")
    assert outline(page) == "solid", "the focused search box shows no focus ring"

    page.keyboard.type("Oleksandr")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_have_text("1 person")
    expect(page.locator("#results tbody th a")).to_have_text("Kovalenko, Oleksandr")
    expect(page.locator("#id_q")).to_be_focused()  # only the results were swapped

    # Replace the query, then reach the Search button through the filters and press it.
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Ređepi")
    expect(page).to_have_url(re.compile(r"q=Re%C4%91epi"))  # the live search is done
    path = tab_to(page, "form[role=search] button[type=submit]")
    assert len(path) == 4, path  # status, municipality, language, then the button
    assert outline(page) == "solid", "the focused Search button shows no focus ring"
    with page.expect_response(lambda r: "q=Re%C4%91epi" in r.url and r.ok):
        page.keyboard.press("Enter")  # a new request: the button submits
    expect(page.locator(".result-count")).to_have_text("1 person")
    expect(page.locator("#results tbody th a")).to_have_text("Ređepi, Amra")

    # The result is a link the keyboard reaches next; Enter opens the record.
    tab_to(page, "#results a", limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Amra Ređepi")


def test_a_filter_is_chosen_with_the_keyboard(person_list):
    page = person_list
    page.locator("#id_q").focus()
    tab_to(page, "#id_language")
    # Typing on a focused, closed select picks the matching option, as it would for a person.
    page.keyboard.type("Ukr")
    expect(page.locator("#id_language")).to_have_value("uk")
    expect(page.locator(".result-count")).to_have_text("4 persons")


def test_after_a_failed_submit_the_focus_goes_to_the_errors_not_back_to_the_top(
    page, log_in, counsellor
):
    log_in(page.context, counsellor)
    page.goto("/app/persons/new/")
    page.locator("#id_given_name_latin").focus()
    page.keyboard.type("Олександр")  # not Latin letters; the required names are empty
    tab_to(page, "#person-form button[type=submit]", limit=80)
    page.keyboard.press("Enter")

    summary = page.locator("#person-form .form-errors")
    expect(summary).to_be_visible()  # HTMX swapped the form in place …
    expect(summary).to_be_focused()  # … and the keyboard user is at its error summary,
    # just before the first field with an error.
    expect(page.locator("#id_given_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_given_name")).to_have_accessible_description(
        "As the person writes it, in any script. This field is required."
    )
