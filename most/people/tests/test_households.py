import pytest
from django.core.exceptions import ValidationError

from most.lib.errors import Conflict
from most.people.models import HouseholdMember
from most.people.services import (
    household_add_member,
    household_create,
    household_remove_member,
    household_update,
)


def test_a_person_lives_in_one_household_at_a_time(alice, person_a):
    first = household_create(member=alice, name="Kovalenko")
    second = household_create(member=alice, name="Kovalenko (new flat)")
    household_add_member(member=alice, household=first, person=person_a, relationship="head")
    household_add_member(member=alice, household=second, person=person_a, relationship="head")
    assert HouseholdMember.objects.get(person=person_a).household == second


def test_another_organisations_person_cannot_join(alice, person_b):
    household = household_create(member=alice, name="Kovalenko")
    with pytest.raises(ValidationError):
        household_add_member(
            member=alice, household=household, person=person_b, relationship="child"
        )


def test_removing_a_member_keeps_the_person(alice, person_a):
    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    household_remove_member(member=alice, household=household, person=person_a)
    assert not HouseholdMember.objects.exists()
    person_a.refresh_from_db()


def test_concurrent_renames_conflict(alice):
    household = household_create(member=alice, name="Kovalenko")
    household_update(member=alice, household=household, version=1, fields={"name": "A"})
    with pytest.raises(Conflict):
        household_update(member=alice, household=household, version=1, fields={"name": "B"})


def test_household_name_is_required(alice):
    with pytest.raises(ValidationError):
        household_create(member=alice, name="   ")


def test_the_member_search_leaves_out_those_already_in_the_household(
    login, alice, person_a, make_person
):
    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    sister = make_person(alice, given_name="Оксана", family_name="Коваленко")
    page = login(alice).get(f"/app/persons/households/{household.pk}/candidates/?q=Kovalenko")
    body = page.content.decode()
    assert f'value="{sister.pk}"' in body and f'value="{person_a.pk}"' not in body


def test_households_are_found_by_a_members_name(login, alice, person_a, person_b):
    household = household_create(member=alice, name="Family K")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    page = login(alice).get("/app/persons/households/?q=Oleksandr").content.decode()
    assert "Family K" in page
    assert "Family K" not in login(alice).get("/app/persons/households/?q=Fatima").content.decode()


def test_household_search_reads_words_as_person_search_does(make_person, alice):
    from most.people.selectors import households_of

    def headed_by(given_name, family_name):
        household = household_create(member=alice, name=family_name)
        head = make_person(alice, given_name=given_name, family_name=family_name)
        household_add_member(member=alice, household=household, person=head, relationship="head")
        return household

    hassans = headed_by("Omar", "Al-Hassan")
    others = headed_by("Alina", "Hassan")
    assert list(households_of(alice, "Al-Has")) == [hassans]
    assert set(households_of(alice, "Al Has")) == {hassans, others}
