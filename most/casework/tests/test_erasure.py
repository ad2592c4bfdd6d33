"""A person's erasure reaches their situation, programmes and casework: free texts go, the
counts stay; their export holds them first."""

import datetime

from most.casework import services as casework
from most.casework.models import CounsellingSession, Goal, PsychosocialRecord
from most.people.models import Situation
from most.people.situations import situation_record
from most.privacy import services as privacy
from most.privacy.selectors import subject_data
from most.programmes import activity_services
from most.programmes import services as programmes
from most.programmes.models import Activity, Attendance, Enrolment

TODAY = datetime.date.today()


def test_erasure_removes_the_texts_and_keeps_the_counts(make_member, org_a, alice, person_a):
    admin = make_member("admin", org_a)
    coordinator = make_member("coordinator", org_a)
    situation_record(
        member=alice,
        person=person_a,
        fields={
            "kind": "school",
            "value": "PRIMARY",
            "since": TODAY,
            "school": "OŠ Livada",
            "grade": 3,
            "note": "Dobro napreduje",
        },
    )
    programme = programmes.programme_create(
        member=coordinator,
        fields={"name": "Družinski program", "starts_on": TODAY},
        phases=[("Vse leto", None)],
    )
    (enrolment,) = programmes.enrol(
        member=alice, programme=programme, persons=[person_a], note="Pride z mamo"
    )
    activity = activity_services.activity_create(
        member=coordinator,
        programme=programme,
        fields={
            "kind": "individual",
            "title": "Pomoč Oleksandru pri vlogi",
            "enrolment": enrolment,
        },
        plan={"first_day": TODAY, "starts": datetime.time(0, 5), "ends": datetime.time(1)},
    )
    activity_services.attendance_save(
        member=alice, session=activity.sessions.get(), presences={enrolment.pk: "present"}
    )
    casework.goal_add(member=alice, person=person_a, fields={"title": "Stanovanje v Fužinah"})
    casework.counselling_record(
        member=alice,
        person=person_a,
        fields={"held_on": TODAY, "minutes": 45, "kind": "individual", "summary": "Skrbi ga"},
    )
    casework.psychosocial_record(
        member=alice,
        person=person_a,
        fields={"recorded_on": TODAY, "level": 3, "factors": [], "notes": "Nespečnost"},
    )
    exported = str(subject_data(person_a))
    assert "Stanovanje v Fužinah" in exported and "Nespečnost" in exported
    assert "Pride z mamo" in exported and "OŠ Livada" in exported

    privacy.person_erase(member=admin, person=person_a)

    situation = Situation.objects.get(person=person_a)
    assert (situation.school, situation.note, situation.value) == ("", "", "PRIMARY")
    assert Enrolment.objects.get(person=person_a).note == ""
    assert Activity.objects.get().title == "–"
    assert Attendance.objects.count() == 1  # still counted
    assert Goal.objects.get().title == "–"
    assert CounsellingSession.objects.get().summary == ""
    assert PsychosocialRecord.objects.get().notes == ""
