"""A counsellor's psychosocial note stays with the counsellors; every casework page passes
axe-core in English and Slovenian."""

import datetime

import pytest
from playwright.sync_api import expect

from most.casework import services

from .conftest import assert_accessible

pytestmark = pytest.mark.browser

NOTE = "Nespečnost po selitvi, pogovor o izgubi doma"
TODAY = datetime.date.today()


@pytest.fixture
def caseworker(make_member, org_a):
    return make_member("caseworker", org_a, email="caseworker@example.org")


def test_a_psychosocial_note_is_for_the_counsellors_only(
    new_context, log_in, counsellor, caseworker, family
):
    father = family["father"]
    context = new_context()
    log_in(context, counsellor)
    page = context.new_page()
    page.goto(f"/app/persons/{father.pk}/")
    page.get_by_role("link", name="Needs, integration plan, counselling and outcomes").click()
    page.get_by_role("link", name="Record support").click()
    page.get_by_label("Level of support").select_option("3")
    page.get_by_label("Socio-relational").check()
    page.get_by_label("Notes").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(NOTE)).to_be_visible()

    other = new_context()
    log_in(other, caseworker)
    look = other.new_page()
    for url in (
        f"/app/persons/{father.pk}/",
        f"/app/casework/persons/{father.pk}/",
        f"/app/persons/{father.pk}/timeline/",
        "/app/persons/?q=Nespečnost",
    ):
        look.goto(url)
        expect(look.locator("main")).not_to_contain_text(NOTE)
        expect(look.locator("main")).not_to_contain_text("Psychosocial")
    export = look.request.get(f"/app/persons/export.csv?q={father.given_name_latin}")
    assert export.ok and father.given_name_latin in export.text()
    assert NOTE not in export.text()


@pytest.fixture(params=["en", "sl"])
def language(request):
    return request.param


def test_casework_pages_are_accessible(new_context, log_in, language, counsellor, family):
    father = family["father"]
    services.assessment_record(
        member=counsellor,
        person=father,
        assessed_on=TODAY,
        scores={"HO.WORK": (2, "Išče delo"), "HO.HOUSING": (1, "")},
    )
    goal = services.goal_add(
        member=counsellor,
        person=father,
        fields={"title": "Tečaj slovenščine", "domain": "HO.LANGUAGE_COMMUNICATION"},
    )
    services.goal_action_add(member=counsellor, goal=goal, fields={"description": "Vpis"})
    services.counselling_record(
        member=counsellor,
        person=father,
        fields={"held_on": TODAY, "minutes": 45, "kind": "individual", "summary": "Pogovor"},
    )
    services.psychosocial_record(
        member=counsellor,
        person=father,
        fields={"recorded_on": TODAY, "level": 2, "factors": ["IOM.SOCIO_ECONOMIC"], "notes": NOTE},
    )
    context = new_context(language=language)
    log_in(context, counsellor)
    page = context.new_page()
    base = f"/app/casework/persons/{father.pk}"
    for url in (
        f"{base}/",
        f"{base}/assessments/new/",
        f"{base}/counselling/new/",
        f"{base}/psychosocial/new/",
        f"{base}/outcomes/new/",
        f"/app/persons/{father.pk}/timeline/",
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{url} [{language}]")
    page.goto(f"{base}/outcomes/new/")
    page.locator("#id_kind").select_option("job")
    page.locator("form.form-grid button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"outcome form with errors [{language}]")
