"""Actions that are hard to undo ask first; cancelling leaves everything as it was."""

import pytest
from playwright.sync_api import expect

from most.people.models import Consent

pytestmark = pytest.mark.browser


def test_withdrawing_a_consent_asks_first(page, log_in, counsellor, family):
    father = family["father"]
    log_in(page.context, counsellor)
    page.goto(f"/app/persons/{father.pk}/")
    withdraw = page.get_by_role("button", name="Withdraw: Keeping a record and providing support")

    page.once("dialog", lambda dialog: dialog.dismiss())
    withdraw.click()
    expect(page.locator(".messages")).to_have_count(0)
    assert Consent.objects.filter(person=father, purpose="registration", withdrawn_on=None).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    withdraw.click()
    expect(page.locator(".messages")).to_contain_text("The consent was withdrawn.")
    assert not Consent.objects.filter(
        person=father, purpose="registration", withdrawn_on=None
    ).exists()
