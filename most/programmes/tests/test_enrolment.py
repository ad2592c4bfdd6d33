"""Enrolment: eligibility as the gate, places and the waiting list, phases, households."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from most.audit.models import AuditEntry
from most.lib.errors import Conflict, NotAllowed
from most.people import services as people_services
from most.programmes import services
from most.programmes.models import Enrolment, EnrolmentPhase, EnrolmentStatus

S = EnrolmentStatus
TODAY = datetime.date.today()


def enrol_one(member, programme, person, **kwargs):
    return services.enrol(member=member, programme=programme, persons=[person], **kwargs)[0]


def test_an_eligible_woman_takes_a_place_in_the_first_phase(coordinator, activation, make_woman):
    enrolment = enrol_one(coordinator, activation, make_woman())
    assert enrolment.status == S.ACTIVE
    assert enrolment.phase.name == "Personal growth"
    assert enrolment.started_on == TODAY
    assert EnrolmentPhase.objects.get(enrolment=enrolment).started_on == TODAY
    entry = AuditEntry.objects.get(object_type="programmes.enrolment", action="create")
    assert entry.person_id == enrolment.person_id


def test_an_ineligible_person_is_refused_with_every_reason(coordinator, activation, make_woman):
    man = make_woman(sex="M", slovenian_level="B2")
    with pytest.raises(ValidationError) as error:
        enrol_one(coordinator, activation, man)
    text = " ".join(error.value.messages)
    assert "Sex is Male" in text and "Slovenian level is B2" in text
    assert not Enrolment.objects.exists()


def test_a_full_programme_puts_the_next_on_the_waiting_list_in_order(
    coordinator, activation, make_woman
):
    activation.capacity = 1
    activation.save()
    first = enrol_one(coordinator, activation, make_woman())
    second = enrol_one(coordinator, activation, make_woman())
    third = enrol_one(coordinator, activation, make_woman())
    assert [first.status, second.status, third.status] == [S.ACTIVE, S.WAITLISTED, S.WAITLISTED]
    services.enrolment_move(
        member=coordinator, enrolment=first, to=S.DROPPED_OUT, reason="moved", version=1
    )
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.ACTIVE and second.phase.position == 1
    assert third.status == S.WAITLISTED


def test_the_freed_place_skips_who_is_no_longer_eligible(coordinator, activation, make_woman):
    activation.capacity = 1
    activation.save()
    first = enrol_one(coordinator, activation, make_woman())
    no_longer = enrol_one(coordinator, activation, make_woman())
    still = enrol_one(coordinator, activation, make_woman())
    people_services.person_update(
        member=coordinator,
        person=no_longer.person,
        version=no_longer.person.version,
        fields={"slovenian_level": "B2"},
    )
    services.enrolment_move(
        member=coordinator, enrolment=first, to=S.COMPLETED, version=first.version
    )
    no_longer.refresh_from_db()
    still.refresh_from_db()
    assert (no_longer.status, still.status) == (S.WAITLISTED, S.ACTIVE)


def test_a_pause_keeps_the_place(coordinator, activation, make_woman):
    activation.capacity = 1
    activation.save()
    first = enrol_one(coordinator, activation, make_woman())
    waiting = enrol_one(coordinator, activation, make_woman())
    services.enrolment_move(member=coordinator, enrolment=first, to=S.PAUSED, version=1)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    services.enrolment_move(member=coordinator, enrolment=first, to=S.ACTIVE, version=2)
    assert first.status == S.ACTIVE


def test_phases_follow_each_other_with_dates(coordinator, activation, make_woman):
    enrolment = enrol_one(coordinator, activation, make_woman())
    services.enrolment_next_phase(member=coordinator, enrolment=enrolment, version=1)
    services.enrolment_next_phase(member=coordinator, enrolment=enrolment, version=2)
    assert enrolment.phase.name == "Towards a job"
    rows = list(EnrolmentPhase.objects.filter(enrolment=enrolment).order_by("pk"))
    assert [row.phase.position for row in rows] == [1, 2, 3]
    assert [row.ended_on for row in rows] == [TODAY, TODAY, None]
    with pytest.raises(ValidationError, match="last phase"):
        services.enrolment_next_phase(member=coordinator, enrolment=enrolment, version=3)
    services.enrolment_move(member=coordinator, enrolment=enrolment, to=S.COMPLETED, version=3)
    assert EnrolmentPhase.objects.filter(enrolment=enrolment, ended_on=None).count() == 0


def test_a_phase_cannot_start_in_the_future(coordinator, activation, make_woman):
    enrolment = enrol_one(coordinator, activation, make_woman())
    with pytest.raises(ValidationError):
        services.enrolment_next_phase(
            member=coordinator,
            enrolment=enrolment,
            version=1,
            on=TODAY + datetime.timedelta(days=1),
        )
    assert EnrolmentPhase.objects.filter(enrolment=enrolment).count() == 1


def test_dropping_out_needs_a_reason(coordinator, activation, make_woman):
    enrolment = enrol_one(coordinator, activation, make_woman())
    with pytest.raises(ValidationError, match="why"):
        services.enrolment_move(
            member=coordinator, enrolment=enrolment, to=S.DROPPED_OUT, version=1
        )
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACTIVE


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.COMPLETED, S.ACTIVE),
        (S.DROPPED_OUT, S.ACTIVE),
        (S.WAITLISTED, S.PAUSED),
        (S.APPLIED, S.COMPLETED),
    ],
)
def test_a_move_the_workflow_does_not_know_is_refused(
    coordinator, activation, make_woman, start, to
):
    enrolment = Enrolment.objects.create(
        programme=activation,
        person=make_woman(),
        status=start,
        dropout_reason="other" if start == S.DROPPED_OUT else "",
    )
    with pytest.raises(ValidationError, match="cannot become"):
        services.enrolment_move(member=coordinator, enrolment=enrolment, to=to, version=1)


def test_two_saves_of_one_reading_conflict(coordinator, activation, make_woman):
    enrolment = enrol_one(coordinator, activation, make_woman())
    services.enrolment_move(member=coordinator, enrolment=enrolment, to=S.PAUSED, version=1)
    stale = Enrolment.objects.get(pk=enrolment.pk)
    stale.status = S.ACTIVE
    with pytest.raises(Conflict):
        services.enrolment_move(member=coordinator, enrolment=stale, to=S.PAUSED, version=1)


def test_an_application_waits_for_a_decision_then_takes_a_place(
    coordinator, activation, make_woman
):
    enrolment = enrol_one(coordinator, activation, make_woman(), apply_only=True)
    assert enrolment.status == S.APPLIED and enrolment.phase is None
    services.enrolment_move(member=coordinator, enrolment=enrolment, to=S.ACTIVE, version=1)
    assert enrolment.status == S.ACTIVE and enrolment.phase.position == 1


def test_a_person_is_enrolled_once(coordinator, activation, make_woman):
    woman = make_woman()
    enrol_one(coordinator, activation, woman)
    with pytest.raises(ValidationError, match="Already enrolled"):
        enrol_one(coordinator, activation, woman)


def test_another_organisation_cannot_enrol_its_persons_or_ours(
    charlie, activation, make_woman, make_person
):
    with pytest.raises(NotAllowed):
        enrol_one(charlie, activation, make_woman())
    with pytest.raises(NotAllowed):
        enrol_one(charlie, activation, make_person(charlie))


@pytest.fixture
def family(coordinator, make_person):
    household = people_services.household_create(member=coordinator, name="Hassan")
    members = {}
    for name, sex, born, role in [
        ("Amal", "F", datetime.date(1985, 1, 1), "head"),
        ("Omar", "M", datetime.date(1983, 1, 1), "spouse"),
        ("Lina", "F", datetime.date(2014, 1, 1), "child"),
    ]:
        person = make_person(
            coordinator, given_name=name, family_name="Hassan", sex=sex, birth_date=born
        )
        people_services.household_add_member(
            member=coordinator, household=household, person=person, relationship=role
        )
        members[name] = person
    return household, members


@pytest.fixture
def family_programme(coordinator):
    return services.programme_create(
        member=coordinator,
        fields={"name": "Family programme", "capacity": 4, "starts_on": TODAY},
        phases=[("All year", None)],
        areas=["Intercultural learning", "Literacy", "School support", "Rights", "Counselling"],
    )


def test_a_household_is_enrolled_in_one_step(coordinator, family, family_programme):
    household, members = family
    enrolments, left_out = services.enrol_household(
        member=coordinator, programme=family_programme, household=household
    )
    assert {e.person for e in enrolments} == set(members.values())
    assert all(e.status == S.ACTIVE and e.household == household for e in enrolments)
    assert left_out == {}


def test_the_ineligible_members_of_a_household_are_named_and_left_out(
    coordinator, family, family_programme
):
    household, members = family
    services.programme_rules_save(
        member=coordinator,
        programme=family_programme,
        version=family_programme.version,
        rule={"all": [{"field": "age", "op": "gte", "value": 18}]},
    )
    enrolments, left_out = services.enrol_household(
        member=coordinator, programme=family_programme, household=household
    )
    assert len(enrolments) == 2
    assert list(left_out) == [members["Lina"]]
    assert "Age is" in left_out[members["Lina"]][0]


def test_a_household_that_does_not_fit_waits_together_and_starts_together(
    coordinator, family, family_programme, make_woman
):
    household, _members = family
    family_programme.capacity = 2
    family_programme.save()
    single = enrol_one(coordinator, family_programme, make_woman())
    enrolments, _ = services.enrol_household(
        member=coordinator, programme=family_programme, household=household
    )
    assert {e.status for e in enrolments} == {S.WAITLISTED}
    family_programme.capacity = 4
    family_programme.save()
    services.enrolment_move(
        member=coordinator, enrolment=single, to=S.COMPLETED, version=single.version
    )
    assert set(Enrolment.objects.filter(household=household).values_list("status", flat=True)) == {
        S.ACTIVE
    }


def test_a_programme_without_a_phase_is_refused_and_nothing_is_saved(coordinator):
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            member=coordinator,
            fields={
                "name": "X",
                "starts_on": TODAY,
                "ends_on": TODAY - datetime.timedelta(days=1),
            },
            phases=[],
        )
    assert set(error.value.message_dict) == {"phases", "ends_on"}
    from most.programmes.models import Programme

    assert not Programme.objects.exists()


def test_a_phase_with_participants_cannot_be_removed(coordinator, activation, make_woman):
    enrol_one(coordinator, activation, make_woman())
    with pytest.raises(ValidationError, match="has participants"):
        services.programme_update(
            member=coordinator,
            programme=activation,
            version=activation.version,
            fields={},
            phases=[("Work and study", 12)],
        )
    activation.refresh_from_db()
    assert activation.phases.count() == 3
