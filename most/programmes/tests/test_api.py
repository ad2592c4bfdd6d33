"""The programmes API: the same rules, refusals and audit as the pages."""

import datetime

from most.programmes import activity_services
from most.programmes.models import Attendance, Enrolment, Programme

TODAY = datetime.date.today().isoformat()


def test_a_programme_with_a_wrong_rule_is_refused_and_not_saved(api_as, coordinator):
    response = api_as(coordinator).post(
        "/api/programmes/",
        {
            "name": "Aktivacija",
            "starts_on": TODAY,
            "phases": [{"name": "Osebna rast", "planned_weeks": 10}],
            "eligibility": {"all": [{"field": "shoe_size", "op": "in", "values": ["42"]}]},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Unknown field: shoe_size" in str(response.json())
    assert not Programme.objects.exists()


def test_rules_enrolment_and_the_reasons_of_a_refusal(api_as, coordinator, make_woman):
    client = api_as(coordinator)
    created = client.post(
        "/api/programmes/",
        {
            "name": "Aktivacija",
            "starts_on": TODAY,
            "capacity": 1,
            "phases": [{"name": "Osebna rast"}, {"name": "Delo"}],
            "eligibility": {"all": [{"field": "sex", "op": "in", "values": ["F"]}]},
        },
        format="json",
    ).json()
    man = make_woman(sex="M", given_name="Ahmad")
    reasons = client.get(f"/api/programmes/{created['id']}/eligibility/{man.pk}/").json()
    assert reasons == {
        "eligible": False,
        "reasons": ["Sex is Male; the programme asks for Female."],
    }
    refused = client.post(
        f"/api/programmes/{created['id']}/enrolments/", {"person": man.pk}, format="json"
    )
    assert refused.status_code == 400 and "Sex is Male" in str(refused.json())
    first, second = make_woman(), make_woman()
    for woman in (first, second):
        client.post(
            f"/api/programmes/{created['id']}/enrolments/", {"person": woman.pk}, format="json"
        )
    listed = client.get(f"/api/programmes/{created['id']}/enrolments/?status=waitlisted").json()
    assert [row["person"] for row in listed["results"]] == [second.pk]
    enrolment = Enrolment.objects.get(person=first)
    moved = client.post(
        f"/api/enrolments/{enrolment.pk}/move/",
        {"to": "dropped_out", "reason": "moved", "version": enrolment.version},
        format="json",
    )
    assert moved.json()["status"] == "dropped_out"
    assert Enrolment.objects.get(person=second).status == "active"


def test_attendance_for_someone_outside_the_group_is_refused_whole(
    api_as, coordinator, activation, make_woman
):
    client = api_as(coordinator)
    inside = client.post(
        f"/api/programmes/{activation.pk}/enrolments/", {"person": make_woman().pk}, format="json"
    ).json()[0]
    outside = client.post(
        f"/api/programmes/{activation.pk}/enrolments/",
        {"person": make_woman().pk, "apply_only": True},
        format="json",
    ).json()[0]
    activity = activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={"kind": "group", "title": "Skupina"},
        plan={
            "first_day": datetime.date.today(),
            "starts": datetime.time(0, 5),
            "ends": datetime.time(1),
        },
    )
    session = activity.sessions.get()
    url = f"/api/sessions/{session.pk}/attendance/"
    refused = client.put(
        url,
        {"presences": {str(inside["id"]): "present", str(outside["id"]): "present"}},
        format="json",
    )
    assert refused.status_code == 400
    assert not Attendance.objects.exists()
    saved = client.put(url, {"presences": {str(inside["id"]): "absent"}}, format="json")
    assert saved.json() == {"saved": 1}
    sheet = client.get(url).json()
    assert sheet == [
        {
            "enrolment": inside["id"],
            "person": inside["person"],
            "name": inside["name"],
            "presence": "absent",
        }
    ]
