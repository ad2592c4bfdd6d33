import pytest
from django.core.exceptions import ValidationError

from conftest import opened
from most.audit.models import AuditEntry
from most.lib.errors import Conflict, NotAllowed
from most.people.models import Person
from most.people.services import person_update


def test_it_saves_changes_and_audits_before_and_after(person_a, alice):
    person_update(
        member=alice,
        person=person_a,
        version=1,
        fields={"municipality": "Koper"},
        languages=["uk", "ru"],
    )
    person_a.refresh_from_db()
    assert person_a.municipality == "Koper"
    assert person_a.version == 2
    entry = AuditEntry.objects.get(action="update")
    assert opened(entry)["changes"]["municipality"] == ["Ljubljana", "Koper"]
    assert opened(entry)["changes"]["languages"] == [[], ["ru", "uk"]]
    assert entry.changed_fields == ["languages", "municipality"]


def test_the_second_of_two_concurrent_saves_is_refused(person_a, alice, make_member, org_a):
    colleague = make_member("caseworker", org_a)
    first = Person.objects.get(pk=person_a.pk)
    second = Person.objects.get(pk=person_a.pk)
    person_update(member=alice, person=first, version=1, fields={"address": "Celovška 1"})
    with pytest.raises(Conflict):
        person_update(member=colleague, person=second, version=1, fields={"address": "Vojkova 9"})
    person_a.refresh_from_db()
    assert person_a.address == "Celovška 1"
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_renaming_recomputes_the_latin_form(person_a, alice):
    person_update(member=alice, person=person_a, version=1, fields={"given_name": "Андрій"})
    person_a.refresh_from_db()
    assert person_a.given_name_latin == "Andrii"


def test_invalid_change_leaves_the_record_as_it_was(person_a, alice):
    with pytest.raises(ValidationError):
        person_update(
            member=alice,
            person=person_a,
            version=1,
            fields={"municipality": "Koper", "birth_year": 1700},
        )
    person_a.refresh_from_db()
    assert person_a.municipality == "Ljubljana"
    assert person_a.version == 1


def test_another_organisation_cannot_change_the_person(person_a, charlie):
    with pytest.raises(NotAllowed):
        person_update(member=charlie, person=person_a, version=1, fields={"address": "X"})
