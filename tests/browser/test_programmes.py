"""A coordinator runs the eight-month activation programme in Chromium, and every programme
page passes axe-core in English and Slovenian."""

import datetime

import pytest
from playwright.sync_api import expect

from most.people.models import Situation
from most.programmes import activity_services, services
from most.programmes.models import Enrolment

from .conftest import PHONE, assert_accessible
from .test_phone import assert_no_sideways_scroll

pytestmark = pytest.mark.browser

TODAY = datetime.date.today()


@pytest.fixture
def coordinator(make_member, org_a):
    return make_member("coordinator", org_a, email="coordinator@example.org")


def registered(member, make_person, **fields):
    person = make_person(member, **fields)
    Situation.objects.create(
        person=person, kind="employment", value="INACTIVE", since=datetime.date(2025, 1, 1)
    )
    return person


def add_condition(page, field, op, *, value=None, values=(), alternative=False):
    page.locator("#id_field").select_option(field)
    page.get_by_role("button", name="Choose").click()
    page.locator("#condition_op").select_option(op)
    if value is not None:
        page.locator("#condition_value").fill(str(value))
    for label in values:
        page.locator("fieldset.choices, .field").get_by_label(label, exact=True).check()
    page.get_by_label("One of the alternatives", exact=False).check() if alternative else None
    page.get_by_role("button", name="Add condition").click()
    expect(page.get_by_text("The condition was added.")).to_be_visible()


def test_a_coordinator_runs_the_activation_programme(new_context, log_in, coordinator, make_person):
    woman = registered(
        coordinator,
        make_person,
        given_name="Zahra",
        family_name="Ahmadi",
        sex="F",
        birth_date=datetime.date(1991, 4, 2),
        residence_status="PERMANENT_RESIDENCE",
        slovenian_level="A1",
    )
    man = registered(
        coordinator,
        make_person,
        given_name="Ahmad",
        family_name="Rahimi",
        sex="M",
        birth_date=datetime.date(1989, 1, 1),
        residence_status="IP_APPLICANT",
        slovenian_level="A1",
    )
    context = new_context()
    log_in(context, coordinator)
    page = context.new_page()

    # The programme, its three parts and its areas of concern.
    page.goto("/app/programmes/new/")
    page.locator("#id_name").fill("Socialna aktivacija žensk")
    page.locator("#id_starts_on").fill(TODAY.isoformat())
    page.locator("#id_ends_on").fill((TODAY + datetime.timedelta(days=243)).isoformat())
    page.locator("#id_capacity").fill("12")
    page.locator("#id_areas").fill("Osebna rast\nKompetence\nZaposlitev")
    for row, (name, weeks) in enumerate(
        [("Osebna rast", 10), ("Delo in študij", 12), ("Priprava na zaposlitev", 13)]
    ):
        page.locator(f"#id_phases-{row}-name").fill(name)
        page.locator(f"#id_phases-{row}-planned_weeks").fill(str(weeks))
    page.get_by_role("button", name="Save programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Socialna aktivacija žensk")
    expect(page.locator("#h-phases + ol li")).to_have_count(3)

    # Its eligibility rules, as the practice states them.
    page.get_by_role("link", name="Eligibility rules").click()
    add_condition(page, "age", "gte", value=18)
    add_condition(page, "sex", "in", values=["Female"])
    add_condition(
        page,
        "residence_status",
        "in",
        values=["Permanent residence permit", "Slovenian citizen"],
    )
    add_condition(page, "slovenian_level", "in", values=["A1 – Breakthrough (beginner)"])
    add_condition(
        page, "social_assistance", "in", values=["Financial social assistance"], alternative=True
    )
    add_condition(
        page,
        "employment_status",
        "in",
        values=["Inactive (not working and not looking for work)"],
        alternative=True,
    )
    expect(page.locator(".rule-list li")).to_have_count(7)  # six conditions and the group

    # Why the man is refused, from his page.
    page.goto(f"/app/persons/{man.pk}/")
    page.get_by_role("button", name="Check").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Not eligible today")
    expect(refusal).to_contain_text("Sex is Male; the programme asks for Female.")
    expect(refusal).to_contain_text("Residence status is Applicant for international protection")

    # The woman, from the list of the eligible.
    page.goto("/app/programmes/")
    page.get_by_role("link", name="Socialna aktivacija žensk").click()
    page.get_by_role("link", name="Eligible persons").click()
    page.get_by_role("link", name="Enrol Zahra Ahmadi").click()
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.get_by_text("Enrolled: 1 taking part.")).to_be_visible()
    expect(page.get_by_role("link", name="Taking part (1)")).to_be_visible()

    # A group session today.
    page.get_by_role("link", name="New activity").click()
    page.locator("#id_kind").select_option("group")
    page.locator("#id_title").fill("Skupina za osebno rast")
    page.locator("#id_place").fill("Dnevni center, Resljeva 5")
    page.locator("#id_first_day").fill(TODAY.isoformat())
    page.locator("#id_starts").fill("00:05")
    page.locator("#id_ends").fill("01:30")
    page.get_by_role("button", name="Plan the activity").click()
    expect(page.get_by_text("The activity was planned.")).to_be_visible()
    attendance_url = page.get_by_role("link", name="Take attendance").get_attribute("href")

    # Attendance on a phone.
    phone_context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone_context, coordinator)
    phone = phone_context.new_page()
    phone.goto(attendance_url)
    row = phone.get_by_role("group", name="Zahra Ahmadi")
    row.get_by_label("Present").check()
    phone.get_by_role("button", name="Save attendance").click()
    expect(phone.get_by_text("Attendance saved for 1 participants.")).to_be_visible()
    expect(phone.get_by_role("group", name="Zahra Ahmadi").get_by_label("Present")).to_be_checked()
    assert_accessible(phone, "attendance on a phone")
    assert_no_sideways_scroll(phone)
    phone.goto(f"/app/persons/{woman.pk}/")
    assert_no_sideways_scroll(phone)

    # On to the second part of the programme.
    page.goto(f"/app/programmes/{Enrolment.objects.get().programme_id}/")
    page.locator(".row-actions summary").first.click()
    page.get_by_label("What happens").select_option("next_phase")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("moved on to “Delo in študij”")).to_be_visible()
    assert Enrolment.objects.get(person=woman).phase.name == "Delo in študij"


# --- Accessibility ---------------------------------------------------------------------------


@pytest.fixture(params=["en", "sl"])
def language(request):
    return request.param


@pytest.fixture
def running(coordinator, make_person):
    """A programme with its rules, two participants, a waiting list, an activity."""
    programme = services.programme_create(
        member=coordinator,
        fields={"name": "Socialna aktivacija", "capacity": 2, "starts_on": TODAY},
        phases=[("Osebna rast", 10), ("Delo in študij", 12)],
        areas=["Osebna rast", "Kompetence"],
    )
    programme = services.programme_rules_save(
        member=coordinator,
        programme=programme,
        version=1,
        rule={
            "all": [
                {"field": "sex", "op": "in", "values": ["F"]},
                {"any": [{"field": "employment_status", "op": "in", "values": ["INACTIVE"]}]},
            ]
        },
    )
    women = [
        registered(coordinator, make_person, given_name=name, family_name="Ahmadi", sex="F")
        for name in ("Zahra", "Maryam", "Fatemeh")
    ]
    for woman in women:
        services.enrol(member=coordinator, programme=programme, persons=[woman])
    man = registered(coordinator, make_person, given_name="Ahmad", family_name="Rahimi", sex="M")
    activity = activity_services.activity_create(
        member=coordinator,
        programme=programme,
        fields={"kind": "group", "title": "Skupina", "place": "Dnevni center"},
        plan={
            "first_day": TODAY,
            "starts": datetime.time(0, 5),
            "ends": datetime.time(1),
            "every_weeks": 1,
            "count": 4,
        },
    )
    activity_services.feed_create(member=coordinator, programme=programme)
    return {"programme": programme, "man": man, "woman": women[0], "activity": activity}


def test_programme_pages_are_accessible(new_context, log_in, language, coordinator, running):
    context = new_context(language=language)
    log_in(context, coordinator)
    page = context.new_page()
    programme = running["programme"].pk
    session = running["activity"].sessions.order_by("starts_at").first().pk
    pages = [
        "/app/programmes/",
        f"/app/programmes/{programme}/",
        f"/app/programmes/{programme}/?status=waitlisted",
        "/app/programmes/new/",
        f"/app/programmes/{programme}/edit/",
        f"/app/programmes/{programme}/rules/",
        f"/app/programmes/{programme}/rules/?field=residence_status",
        f"/app/programmes/{programme}/rules/?field=age",
        f"/app/programmes/{programme}/eligible/",
        f"/app/programmes/{programme}/enrol/?person={running['man'].pk}",
        f"/app/programmes/{programme}/activities/new/",
        f"/app/programmes/activities/{running['activity'].pk}/",
        f"/app/programmes/sessions/{session}/attendance/",
        f"/app/programmes/{programme}/calendar/",
        f"/app/programmes/persons/{running['woman'].pk}/calendar/",
        "/app/programmes/my-calendar/",
        f"/app/persons/{running['woman'].pk}/",
    ]
    for url in pages:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{url} [{language}]")
    # With errors: a programme without a phase, an activity that ends before it starts.
    page.goto("/app/programmes/new/")
    page.locator("form.form-grid button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"programme form with errors [{language}]")
    page.goto(f"/app/programmes/{programme}/activities/new/")
    page.locator("#id_title").fill("Delavnica")
    page.locator("#id_starts").fill("10:00")
    page.locator("#id_ends").fill("09:00")
    page.locator("form.form-grid button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"activity form with errors [{language}]")


def test_figures_pages_are_accessible(new_context, log_in, language, coordinator, running):
    context = new_context(language=language)
    log_in(context, coordinator)
    page = context.new_page()
    for url in ("/app/reports/", f"/app/reports/programmes/{running['programme'].pk}/"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{url} [{language}]")
