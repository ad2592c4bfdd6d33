"""Two people edit the same person at once: the second save is refused, not merged."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_second_of_two_concurrent_saves_gets_a_conflict(
    new_context, log_in, counsellor, make_member, org_a, family
):
    colleague = make_member("caseworker", org_a, email="caseworker@example.org")
    father = family["father"]
    edit_url = f"/app/persons/{father.pk}/edit/"

    first = new_context().new_page()
    log_in(first.context, counsellor)
    second = new_context().new_page()
    log_in(second.context, colleague)
    for page in (first, second):
        page.goto(edit_url)
        expect(page.locator("#id_phone")).to_have_value("041 234 567")

    first.locator("#id_phone").fill("040 111 222")
    first.get_by_role("button", name="Save changes").click()
    expect(first.locator(".messages")).to_contain_text(
        "Changes to Олександр Коваленко (Oleksandr Kovalenko) were saved."
    )
    expect(first.get_by_role("link", name="040 111 222")).to_be_visible()

    second.locator("#id_municipality").fill("Maribor")
    second.get_by_role("button", name="Save changes").click()
    alert = second.locator("#person-form").get_by_role("alert")
    expect(alert).to_contain_text("Somebody else changed this person")
    expect(second).to_have_url(re.compile(re.escape(edit_url) + "$"))
    # What the second person typed is still there to copy, nothing of it was saved.
    expect(second.locator("#id_municipality")).to_have_value("Maribor")

    second.goto(f"/app/persons/{father.pk}/")
    expect(second.get_by_role("link", name="040 111 222")).to_be_visible()
    expect(second.locator("#h-residence").locator("xpath=..")).to_contain_text("Ljubljana")
    expect(second.locator("#h-residence").locator("xpath=..")).not_to_contain_text("Maribor")
