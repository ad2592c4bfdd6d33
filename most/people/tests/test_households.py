import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from conftest import opened
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


def test_a_household_has_one_head(login, alice, person_a, make_person):
    from most.people.services import household_member_change

    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    wife = make_person(alice, given_name="Оксана", family_name="Коваленко")
    with pytest.raises(ValidationError, match="already the head"):
        household_add_member(member=alice, household=household, person=wife, relationship="head")
    household_add_member(member=alice, household=household, person=wife, relationship="spouse")
    with pytest.raises(ValidationError, match="already the head"):
        household_member_change(member=alice, household=household, person=wife, relationship="head")
    assert HouseholdMember.objects.get(person=wife).relationship == "spouse"


def test_a_relationship_can_be_changed_on_the_household_page(login, alice, person_a):
    from most.audit.models import AuditEntry

    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="child")
    client = login(alice)
    url = f"/app/persons/households/{household.pk}/members/{person_a.pk}/relationship/"
    response = client.post(url, {"relationship": "head"}, follow=True)
    assert "was saved" in response.content.decode()
    assert HouseholdMember.objects.get(person=person_a).relationship == "head"
    entry = AuditEntry.objects.filter(person_id=person_a.pk, action="update").latest("pk")
    assert opened(entry)["changes"] == {"relationship": ["child", "head"]}


def test_the_first_member_defaults_to_head_and_later_ones_to_a_choice(
    login, alice, person_a, make_person
):
    household = household_create(member=alice, name="Kovalenko")
    make_person(alice, given_name="Оксана", family_name="Коваленко")
    client = login(alice)
    url = f"/app/persons/households/{household.pk}/candidates/?q=Kovalenko"
    assert '<option value="head" selected>' in client.get(url).content.decode()
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    body = client.get(url).content.decode()
    assert '<option value="head" selected>' not in body and '<option value="" selected>' in body
    form = client.get(f"/app/persons/new/?household={household.pk}").content.decode()
    assert '<option value="head" selected>' not in form


def test_candidates_are_ranked_as_the_search_ranks_them(login, alice, make_person):
    household = household_create(member=alice, name="Hodžić")
    for given in ["Amar", "Amela", "Amir", "Amina", "Amna", "Amra", "Ana", "Anela", "Arman"]:
        make_person(alice, given_name=given, family_name="Hodžić")
    other = household_create(member=alice, name="Begić")
    exact = make_person(
        alice, given_name="Amra", family_name="Begić", birth_date=datetime.date(1990, 5, 4)
    )
    household_add_member(member=alice, household=other, person=exact, relationship="head")
    body = (
        login(alice)
        .get(f"/app/persons/households/{household.pk}/candidates/?q=Amra Begić")
        .content.decode()
    )
    candidates = re.findall(r'name="person" value="(\d+)"', body)
    assert candidates[0] == str(exact.pk)
    assert "04/05/1990" in body and "now in the household “Begić”" in body


def test_candidates_show_the_native_script_marked_with_its_language(login, alice, person_a):
    household = household_create(member=alice, name="Other")
    body = (
        login(alice)
        .get(f"/app/persons/households/{household.pk}/candidates/?q=Oleksandr")
        .content.decode()
    )
    assert '<span class="native" dir="auto" lang="uk">Олександр Коваленко</span>' in body
    assert "in no household" in body
