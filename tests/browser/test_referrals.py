"""A referral from one organisation to another in a real browser: refused without consent, sent
with it, seen by the receiver with only the fields shared, answered, and the access ended when
the consent is withdrawn. axe-core finds nothing on the referral pages, in both languages."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from most.directory import models as catalogue
from most.directory.selectors import search_text
from most.people import services as people
from most.referrals import services as referrals

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def _service(organisation, name):
    provider, _created = catalogue.Organization.objects.get_or_create(
        owner=organisation, defaults={"name": organisation.name, "description": "Članica."}
    )
    return catalogue.Service.objects.create(
        organization=provider,
        name=name,
        status="active",
        search_text=search_text(name, organisation.name),
    )


@pytest.fixture
def receiver(make_member, org_b):
    return make_member("caseworker", org_b, email="receiver@example.org")


@pytest.fixture
def legal_aid(org_b):
    return _service(org_b, "Brezplačna pravna pomoč")


def test_a_referral_from_consent_to_outcome(
    new_context, log_in, counsellor, receiver, family, legal_aid
):
    father = family["father"]
    sender = new_context()
    log_in(sender, counsellor)
    page = sender.new_page()
    page.goto(f"/app/persons/{father.pk}/")
    page.get_by_role("link", name="Refer to a service").click()
    page.get_by_label("Find a service").fill("pravna pomoč")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Brezplačna pravna pomoč").check()
    page.get_by_label("Reason for the referral").fill("Potrebuje nasvet o podaljšanju zaščite.")
    page.get_by_role("button", name="Send the referral").click()
    # No consent to sharing yet: refused, with the reason.
    expect(page.get_by_role("alert")).to_contain_text("has not consented to sharing")
    page.get_by_label("The person gives their consent to sharing").check()
    page.get_by_label("Evidence", exact=True).select_option("signed")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("main")).to_contain_text("The referral was sent")
    referral_url = page.url

    # The receiver: the referral, then the person's shared fields once accepted.
    other = new_context()
    log_in(other, receiver)
    inbox = other.new_page()
    inbox.goto("/app/referrals/")
    inbox.get_by_role("link", name=re.compile(r"^Referral \d+$")).click()
    expect(inbox.locator("main")).to_contain_text("once you accept")
    expect(inbox.locator("main")).not_to_contain_text("Коваленко")
    inbox.get_by_role("button", name="Accept").click()
    main = inbox.locator("main")
    expect(main).to_contain_text("Олександр Коваленко")
    expect(main).to_contain_text("041 234 567")  # the phone: a default field
    expect(main).to_contain_text("Ukrainian")  # the languages: a default field
    for private in ("Celovška", "Refugee", "Temporary protection", "Kovalenko family"):
        expect(main).not_to_contain_text(private)
    # Search, API and export show the same and no more.
    inbox.goto("/app/referrals/?view=all&q=kovalenko")
    expect(inbox.locator("main")).to_contain_text("Олександр Коваленко")
    api = inbox.request.get(f"/api/persons/{father.pk}/")
    assert api.ok and "residence_status" not in api.json() and "address" not in api.json()
    export = inbox.request.get("/app/referrals/export.csv?view=all").text()
    assert "041 234 567" in export and "Celovška" not in export and "TP_BENEFICIARY" not in export
    # Work, then complete with feedback.
    inbox.goto(referral_url.replace(sender_base(referral_url), ""))
    inbox.get_by_role("button", name="Start work").click()
    inbox.locator("summary", has_text="Complete").click()
    inbox.get_by_label("Feedback to the sender").fill("Vloga za podaljšanje je oddana.")
    inbox.get_by_role("button", name="Complete").click()
    expect(inbox.locator("main")).to_contain_text("Completed")

    # The sender sees the outcome and the feedback.
    page.goto(referral_url)
    expect(page.locator("main")).to_contain_text("Vloga za podaljšanje je oddana.")
    expect(page.locator("main")).to_contain_text("Completed")


def sender_base(url):
    return url.split("/app/")[0]


def test_withdrawing_the_consent_ends_the_receivers_access_at_once(
    new_context, log_in, counsellor, receiver, family, legal_aid
):
    father = family["father"]
    people.consent_record(
        member=counsellor,
        person=father,
        fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
    )
    referral = referrals.referral_create(
        member=counsellor,
        person=father,
        data={"service": legal_aid, "reason": "Pravna pomoč", "fields": ["phone"]},
    )
    referrals.referral_transition(
        member=receiver, referral=referral, name="accept", version=referral.version
    )
    other = new_context()
    log_in(other, receiver)
    look = other.new_page()
    look.goto(f"/app/referrals/{referral.pk}/")
    expect(look.locator("main")).to_contain_text("041 234 567")

    sender = new_context()
    log_in(sender, counsellor)
    page = sender.new_page()
    page.goto(f"/app/persons/{father.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw: Sharing data").click()
    expect(page.locator("main")).to_contain_text("withdrawn")

    look.reload()
    expect(look.locator("main")).not_to_contain_text("041 234 567")
    expect(look.locator("main")).to_contain_text("consent to sharing was withdrawn")
    assert look.request.get(f"/api/persons/{father.pk}/").status == 404


@pytest.fixture(params=["en", "sl"])
def language(request):
    return request.param


def test_referral_pages_are_accessible(
    new_context, log_in, language, counsellor, receiver, family, legal_aid, make_member
):
    father = family["father"]
    people.consent_record(
        member=counsellor,
        person=father,
        fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
    )
    sent = referrals.referral_create(
        member=counsellor, person=father, data={"service": legal_aid, "reason": "Pravna pomoč"}
    )
    draft = referrals.referral_create(
        member=counsellor,
        person=family["mother"],
        data={"service": legal_aid, "reason": "Tečaj"},
        send=False,
    )
    for who, urls in (
        (
            counsellor,
            [
                "/app/referrals/sent/?view=all",
                f"/app/referrals/{sent.pk}/",
                f"/app/referrals/new/{family['son'].pk}/",
                f"/app/referrals/{draft.pk}/edit/",
                "/app/referrals/notifications/",
            ],
        ),
        (receiver, ["/app/referrals/", f"/app/referrals/{sent.pk}/"]),
        (make_member("coordinator", receiver.organisation), ["/app/referrals/figures/"]),
    ):
        context = new_context(language=language)
        log_in(context, who)
        page = context.new_page()
        for url in urls:
            page.goto(url)
            assert_accessible(page, f"{url} ({language})")
    # The form with its errors, and the services found.
    page = new_context(language=language)
    log_in(page, counsellor)
    form = page.new_page()
    form.goto(f"/app/referrals/new/{family['son'].pk}/")
    form.locator("#id_service_query").fill("pravna")
    form.locator("button[name=find]").click()
    form.locator("button[name=send]").click()
    assert_accessible(form, f"referral form with errors ({language})")
