"""The programme pages as a coordinator and a case worker use them."""

import datetime

import pytest

from most.people.models import Situation
from most.programmes.models import Enrolment, Programme

TODAY = datetime.date.today()


def programme_form(**changes):
    data = {
        "name": "Socialna aktivacija",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=243)).isoformat(),
        "capacity": "12",
        "areas": "Osebna rast\nKompetence\n",
        "phases-TOTAL_FORMS": "4",
        "phases-INITIAL_FORMS": "0",
        "phases-0-name": "Osebna rast",
        "phases-0-planned_weeks": "10",
        "phases-1-name": "Delo in študij",
        "phases-1-planned_weeks": "12",
        "phases-2-name": "Priprava na zaposlitev",
        "phases-2-planned_weeks": "13",
        "phases-3-name": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_sets_up_a_programme_with_its_phases(login, coordinator):
    response = login(coordinator).post("/app/programmes/new/", programme_form())
    programme = Programme.objects.get()
    assert response.status_code == 302 and response.url == f"/app/programmes/{programme.pk}/"
    assert [p.name for p in programme.phases.all()] == [
        "Osebna rast",
        "Delo in študij",
        "Priprava na zaposlitev",
    ]
    assert [a.name for a in programme.areas.all()] == ["Osebna rast", "Kompetence"]
    page = login(coordinator).get(response.url).content.decode()
    assert "Priprava na zaposlitev" in page and "13 weeks" in page


def test_a_wrong_programme_is_shown_with_its_errors_and_not_saved(login, coordinator):
    response = login(coordinator).post(
        "/app/programmes/new/",
        programme_form(
            ends_on=(TODAY - datetime.timedelta(days=1)).isoformat(),
            **{"phases-0-name": "", "phases-1-name": "", "phases-2-name": ""},
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "cannot end before it starts" in page
    assert "at least one phase" in page
    assert not Programme.objects.exists()


def test_rules_are_added_and_removed_in_the_form(login, coordinator, activation):
    client = login(coordinator)
    activation.eligibility = {"all": []}
    activation.save()
    url = f"/app/programmes/{activation.pk}/rules/"
    assert "Years" in client.get(url + "?field=age").content.decode()
    client.post(
        url,
        {
            "field": "age",
            "op": "gte",
            "value": "18",
            "group": "required",
            "version": activation.version,
        },
    )
    activation.refresh_from_db()
    client.post(
        url,
        {
            "field": "social_assistance",
            "op": "in",
            "values": ["FINANCIAL"],
            "group": "alternative",
            "version": activation.version,
        },
    )
    activation.refresh_from_db()
    assert activation.eligibility == {
        "all": [
            {"field": "age", "op": "gte", "value": 18},
            {"any": [{"field": "social_assistance", "op": "in", "values": ["FINANCIAL"]}]},
        ]
    }
    client.post(url + "remove/", {"path": "0", "version": activation.version})
    activation.refresh_from_db()
    assert activation.eligibility == {
        "all": [{"any": [{"field": "social_assistance", "op": "in", "values": ["FINANCIAL"]}]}]
    }


def test_an_impossible_value_is_refused_when_the_rule_is_saved(login, coordinator, activation):
    before = activation.eligibility
    response = login(coordinator).post(
        f"/app/programmes/{activation.pk}/rules/",
        {
            "field": "sex",
            "op": "in",
            "values": ["Q"],
            "group": "required",
            "version": activation.version,
        },
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    activation.refresh_from_db()
    assert activation.eligibility == before


def test_a_stale_rules_page_does_not_overwrite_newer_rules(login, coordinator, activation):
    response = login(coordinator).post(
        f"/app/programmes/{activation.pk}/rules/",
        {"field": "age", "op": "lte", "value": "64", "group": "required", "version": 1},
    )
    assert response.status_code == 422
    assert "changed this meanwhile" in response.content.decode()


def test_why_an_ineligible_person_is_refused(login, coordinator, activation, make_woman):
    man = make_woman(given_name="Ahmad", sex="M")
    client = login(coordinator)
    page = client.get(f"/app/programmes/{activation.pk}/enrol/?person={man.pk}")
    assert "Not eligible today" in page.content.decode()
    assert "Sex is Male; the programme asks for Female." in page.content.decode()
    response = client.post(f"/app/programmes/{activation.pk}/enrol/", {"person": man.pk})
    assert response.status_code == 422
    assert "Sex is Male" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_eligible_woman_is_enrolled_from_the_list_of_the_eligible(
    login, coordinator, activation, make_woman
):
    woman = make_woman()
    make_woman(sex="M", given_name="Ahmad")
    client = login(coordinator)
    listed = client.get(f"/app/programmes/{activation.pk}/eligible/").content.decode()
    assert "1 person of your registry meets the rules today" in listed
    assert f"?person={woman.pk}" in listed
    response = client.post(f"/app/programmes/{activation.pk}/enrol/", {"person": woman.pk})
    assert response.status_code == 302
    assert Enrolment.objects.get().status == "active"
    assert "Taking part (1)" in client.get(response.url).content.decode()


def test_a_participant_moves_to_the_next_phase(login, coordinator, activation, make_woman):
    client = login(coordinator)
    client.post(f"/app/programmes/{activation.pk}/enrol/", {"person": make_woman().pk})
    enrolment = Enrolment.objects.get()
    client.post(
        f"/app/programmes/enrolments/{enrolment.pk}/move/",
        {"to": "next_phase", "version": enrolment.version},
    )
    enrolment.refresh_from_db()
    assert enrolment.phase.position == 2


def test_a_drop_out_without_a_reason_is_refused_with_a_message(
    login, coordinator, activation, make_woman
):
    client = login(coordinator)
    client.post(f"/app/programmes/{activation.pk}/enrol/", {"person": make_woman().pk})
    enrolment = Enrolment.objects.get()
    response = client.post(
        f"/app/programmes/enrolments/{enrolment.pk}/move/",
        {"to": "dropped_out", "version": enrolment.version},
        follow=True,
    )
    assert "Say why the person dropped out." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_the_person_page_shows_programmes_and_the_situation(
    login, coordinator, activation, make_woman
):
    woman = make_woman()
    client = login(coordinator)
    client.post(f"/app/programmes/{activation.pk}/enrol/", {"person": woman.pk})
    page = client.get(f"/app/persons/{woman.pk}/").content.decode()
    assert "Social activation for women" in page and "Taking part" in page
    assert "Inactive (not working and not looking for work)" in page


def test_a_change_of_situation_is_recorded_and_a_future_one_refused(login, coordinator, make_woman):
    woman = make_woman()
    client = login(coordinator)
    response = client.post(
        f"/app/persons/{woman.pk}/situations/",
        {"situation": "employment:EMPLOYED", "since": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert Situation.objects.filter(person=woman, value="EMPLOYED").exists()
    response = client.post(
        f"/app/persons/{woman.pk}/situations/",
        {
            "situation": "education:TERTIARY",
            "since": (TODAY + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "cannot start in the future" in response.content.decode()
    assert not Situation.objects.filter(person=woman, value="TERTIARY").exists()


@pytest.mark.parametrize("role", ["caseworker", "viewer"])
def test_who_does_not_shape_programmes_sees_no_button_for_it(
    login, make_member, org_a, activation, role
):
    page = login(make_member(role, org_a)).get(f"/app/programmes/{activation.pk}/")
    assert page.status_code == 200
    assert "/rules/" not in page.content.decode()


def test_a_broad_rule_s_list_is_counted_up_to_a_limit(
    login, coordinator, activation, make_woman, monkeypatch
):
    from most.programmes.selectors import CountedUpTo

    monkeypatch.setattr(CountedUpTo, "LIMIT", 2)
    for _ in range(3):
        make_woman()
    page = login(coordinator).get(f"/app/programmes/{activation.pk}/eligible/").content.decode()
    assert "More than 2 persons of your registry meet the rules today." in page
    # The pages go as far as counted.
    assert page.count("Enrol Zahra") == 2
