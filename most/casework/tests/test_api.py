"""The casework API: psychosocial records exist only in the counsellors' answers."""

import datetime

from most.casework import services

TODAY = datetime.date.today()
NOTE = "Nespečnost po selitvi"


def test_psychosocial_records_are_in_the_counsellors_answers_only(
    api_as, alice, make_member, org_a, person_a
):
    created = api_as(alice).post(
        f"/api/persons/{person_a.pk}/psychosocial/",
        {
            "recorded_on": TODAY.isoformat(),
            "level": 3,
            "factors": ["IOM.SOCIO_ECONOMIC"],
            "notes": NOTE,
        },
        format="json",
    )
    assert created.status_code == 201
    mine = api_as(alice).get(f"/api/persons/{person_a.pk}/casework/").json()
    assert mine["psychosocial"][0]["notes"] == NOTE
    caseworker = api_as(make_member("caseworker", org_a))
    theirs = caseworker.get(f"/api/persons/{person_a.pk}/casework/").json()
    assert "psychosocial" not in theirs
    timeline = caseworker.get(f"/api/persons/{person_a.pk}/timeline/").json()
    assert all(entry["kind"] != "psychosocial" for entry in timeline["results"])
    assert NOTE not in str(timeline)
    refused = caseworker.post(
        f"/api/persons/{person_a.pk}/psychosocial/",
        {"recorded_on": TODAY.isoformat(), "level": 1, "factors": []},
        format="json",
    )
    assert refused.status_code == 404


def test_an_assessment_with_an_unknown_domain_is_refused(api_as, alice, person_a):
    response = api_as(alice).post(
        f"/api/persons/{person_a.pk}/assessments/",
        {"assessed_on": TODAY.isoformat(), "scores": {"HO.SHOES": {"need": 2}}},
        format="json",
    )
    assert response.status_code == 400 and "HO.SHOES" in str(response.json())


def test_the_timeline_pages_through_everything(api_as, alice, person_a):
    for days in range(30):
        services.counselling_record(
            member=alice,
            person=person_a,
            fields={
                "held_on": TODAY - datetime.timedelta(days=days),
                "minutes": 30,
                "kind": "phone",
            },
        )
    client = api_as(alice)
    first = client.get(f"/api/persons/{person_a.pk}/timeline/").json()
    second = client.get(f"/api/persons/{person_a.pk}/timeline/?page=2").json()
    assert first["count"] == 30 and len(first["results"]) == 20 and len(second["results"]) == 10
    days = [entry["day"] for entry in first["results"] + second["results"]]
    assert days == sorted(days, reverse=True)
