"""The data protection contact in a real browser: a request recorded from the person's record,
its deadline on the page, a legal hold that stops the erasure, then the erasure itself after a
confirmation; axe-core finds nothing on the pages, in English and in Slovenian."""

import pytest
from playwright.sync_api import expect

from most.people.models import Person

from .conftest import PHONE, assert_accessible
from .test_phone import assert_no_sideways_scroll

pytestmark = pytest.mark.browser


def test_a_request_from_the_record_to_the_erasure(page, log_in, admin_member, family):
    son = family["son"]
    log_in(page.context, admin_member)
    page.goto(f"/app/persons/{son.pk}/")
    page.get_by_role("link", name="Data protection").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Андрій Коваленко")
    assert_accessible(page, "a person's data protection page")

    page.get_by_label("The person asks for").select_option("erasure")
    page.get_by_label("Note").fill("His mother asked at the counter")
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".messages")).to_contain_text("The request was recorded.")

    page.get_by_role("link", name="Data protection", exact=True).first.click()
    open_requests = page.locator("table").first
    expect(open_requests).to_contain_text("Erasure (Art. 17)")
    expect(open_requests).to_contain_text("days left")
    assert_accessible(page, "the data protection page")

    page.goto(f"/app/privacy/persons/{son.pk}/")
    page.locator("#hold_reason").fill("Court case I U 77/2026")
    page.get_by_role("button", name="Put on legal hold").click()
    expect(page.locator(".notice")).to_contain_text("Court case I U 77/2026")
    expect(page.get_by_role("button", name="Erase the person's data")).to_have_count(0)

    page.get_by_role("button", name="Lift the legal hold").click()
    page.get_by_label("I understand that erasure cannot be undone.").check()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Erase the person's data").click()
    assert Person.objects.get(pk=son.pk).erased_at is None  # cancelled: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Erase the person's data").click()
    expect(page.locator(".messages")).to_contain_text("The person's data was erased.")
    assert Person.objects.get(pk=son.pk).erased_at is not None
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erased person")
    assert_accessible(page, "an erased person's page")


@pytest.mark.parametrize("language", ["en", "sl"])
def test_the_pages_pass_axe_in_both_languages_and_on_a_phone(
    new_context, log_in, admin_member, family, language
):
    from most.privacy.services import person_restrict, request_open

    request_open(member=admin_member, person=family["mother"], kind="access")
    person_restrict(member=admin_member, person=family["daughter"], reason="Contested")
    page = new_context(language=language, viewport=PHONE, is_mobile=True).new_page()
    log_in(page.context, admin_member)
    for path in (
        "/app/privacy/",
        "/app/privacy/records/",
        f"/app/privacy/persons/{family['daughter'].pk}/",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_no_sideways_scroll(page)
        assert_accessible(page, f"{path} in {language}")
    page.goto(f"/app/persons/{family['father'].pk}/history/")
    assert_accessible(page, f"a record's history in {language}")
