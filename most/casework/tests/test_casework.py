"""Individual support: needs, plan, counselling, psychosocial support (for counsellors only),
outcomes, and the person's timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from most.accounts.models import Organisation, OrganisationType
from most.audit.models import AuditEntry
from most.audit.services import sealed_open
from most.casework import services
from most.casework.models import Assessment, Goal, Outcome, PsychosocialRecord
from most.lib.errors import NotAllowed

TODAY = datetime.date.today()
NOTE = "Nespečnost po selitvi, pogovor o izgubi doma"


@pytest.fixture
def caseworker(make_member, org_a):
    return make_member("caseworker", org_a)


@pytest.fixture
def psychosocial(alice, person_a):
    return services.psychosocial_record(
        member=alice,
        person=person_a,
        fields={
            "recorded_on": TODAY,
            "level": 3,
            "factors": ["IOM.SOCIO_RELATIONAL", "IOM.BIO_PSYCHOLOGICAL"],
            "notes": NOTE,
        },
    )


def test_a_needs_assessment_scores_the_domains_assessed(caseworker, person_a):
    assessment = services.assessment_record(
        member=caseworker,
        person=person_a,
        assessed_on=TODAY,
        scores={"HO.WORK": (2, "Išče delo"), "HO.LANGUAGE_COMMUNICATION": (1, "")},
    )
    assert {(s.domain, s.need) for s in assessment.scores.all()} == {
        ("HO.WORK", 2),
        ("HO.LANGUAGE_COMMUNICATION", 1),
    }


@pytest.mark.parametrize(
    "scores",
    [{}, {"HO.SHOES": (2, "")}, {"HO.WORK": (9, "")}],
)
def test_a_wrong_assessment_is_refused_and_nothing_saved(caseworker, person_a, scores):
    with pytest.raises(ValidationError):
        services.assessment_record(
            member=caseworker, person=person_a, assessed_on=TODAY, scores=scores
        )
    assert not Assessment.objects.exists()


def test_a_plan_has_goals_with_actions_by_a_partner(caseworker, person_a, org_b):
    goal = services.goal_add(
        member=caseworker,
        person=person_a,
        fields={"title": "Prijava na Zavodu za zaposlovanje", "domain": "HO.WORK"},
    )
    services.goal_action_add(
        member=caseworker,
        goal=goal,
        fields={"description": "Spremstvo na prvi obisk", "responsible_organisation": org_b},
    )
    services.goal_set_status(member=caseworker, goal=goal, status="achieved", version=1)
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.actions.get().responsible_organisation == org_b


def test_a_job_outcome_names_its_employer(caseworker, person_a):
    with pytest.raises(ValidationError, match="employer"):
        services.outcome_record(
            member=caseworker, person=person_a, fields={"kind": "job", "achieved_on": TODAY}
        )
    employer = Organisation.objects.create(
        name="Hotel Slon", type=OrganisationType.EMPLOYER, municipality="Ljubljana"
    )
    outcome = services.outcome_record(
        member=caseworker,
        person=person_a,
        fields={"kind": "job", "achieved_on": TODAY, "employer": employer, "detail": "Kuhar"},
    )
    assert Outcome.objects.get() == outcome


def test_counselling_in_the_future_is_refused(caseworker, person_a):
    with pytest.raises(ValidationError, match="future"):
        services.counselling_record(
            member=caseworker,
            person=person_a,
            fields={
                "held_on": TODAY + datetime.timedelta(days=1),
                "minutes": 60,
                "kind": "individual",
            },
        )


def test_only_counsellors_record_psychosocial_support(caseworker, person_a):
    with pytest.raises(NotAllowed):
        services.psychosocial_record(
            member=caseworker,
            person=person_a,
            fields={"recorded_on": TODAY, "level": 2, "factors": [], "notes": "x"},
        )
    assert not PsychosocialRecord.objects.exists()


def test_the_audit_trail_never_holds_the_psychosocial_values(psychosocial):
    entry = AuditEntry.objects.get(object_type="casework.psychosocialrecord")
    assert set(entry.changed_fields) >= {"notes", "factors", "level"}
    opened = sealed_open(entry.key_id, entry.sealed) if entry.sealed else {}
    assert NOTE not in str(opened) and NOTE not in str(entry.changes)


def test_the_counsellor_reads_the_note_and_a_caseworker_finds_it_nowhere(
    login, alice, caseworker, person_a, psychosocial
):
    counsellor = login(alice)
    assert NOTE in counsellor.get(f"/app/casework/persons/{person_a.pk}/").content.decode()
    assert (
        "Psychosocial support, level"
        in counsellor.get(f"/app/persons/{person_a.pk}/timeline/").content.decode()
    )
    other = login(caseworker)
    for url in (
        f"/app/casework/persons/{person_a.pk}/",
        f"/app/persons/{person_a.pk}/",
        f"/app/persons/{person_a.pk}/timeline/",
        f"/app/persons/?q={NOTE.split()[0]}",
        "/app/persons/export.csv",
    ):
        response = other.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = body.decode()
        assert NOTE not in page and "Psychosocial" not in page, url
    assert other.get(f"/app/casework/persons/{person_a.pk}/psychosocial/new/").status_code == 404


def test_another_organisation_sees_no_casework(login, charlie, person_a, caseworker):
    services.goal_add(member=caseworker, person=person_a, fields={"title": "Stanovanje"})
    assert login(charlie).get(f"/app/casework/persons/{person_a.pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        services.goal_add(member=charlie, person=person_a, fields={"title": "Stanovanje"})
    assert Goal.objects.count() == 1


def test_the_timeline_has_everything_newest_first_a_page_at_a_time(
    login, caseworker, person_a, django_assert_max_num_queries
):
    for days in range(25):
        services.counselling_record(
            member=caseworker,
            person=person_a,
            fields={
                "held_on": TODAY - datetime.timedelta(days=days),
                "minutes": 45,
                "kind": "individual",
            },
        )
    services.goal_add(member=caseworker, person=person_a, fields={"title": "Tečaj slovenščine"})
    client = login(caseworker)
    first = client.get(f"/app/persons/{person_a.pk}/timeline/").content.decode()
    assert first.index("Goal set: Tečaj slovenščine") < first.index("Counselling, individual")
    assert "Page 1 of 2" in first
    with django_assert_max_num_queries(12):
        second = client.get(f"/app/persons/{person_a.pk}/timeline/?page=2").content.decode()
    assert second.count("Counselling, individual, 45 min") == 6


def test_the_casework_pages_add_records(login, caseworker, person_a):
    client = login(caseworker)
    response = client.post(
        f"/app/casework/persons/{person_a.pk}/assessments/new/",
        {"assessed_on": TODAY.isoformat(), "need-HO.HOUSING": "1", "notes-HO.HOUSING": "Hostel"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().scores.get().domain == "HO.HOUSING"
    response = client.post(
        f"/app/casework/persons/{person_a.pk}/counselling/new/",
        {"held_on": TODAY.isoformat(), "minutes": "0", "kind": "individual"},
    )
    assert response.status_code == 422
    assert "from 1 to" in response.content.decode()
