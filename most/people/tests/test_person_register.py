import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import opened
from most.audit.models import AuditEntry
from most.lib.errors import NotAllowed
from most.people.models import Person, PersonSearchKey
from most.people.services import person_register


def test_it_fills_the_latin_form_from_a_cyrillic_name(person_a):
    assert (person_a.given_name_latin, person_a.family_name_latin) == ("Oleksandr", "Kovalenko")
    assert person_a.birth_year == 1984
    assert person_a.phone_digits == "41234567"
    assert person_a.sort_name == "kovalenko oleksandr"


def test_it_keeps_a_latin_form_typed_from_the_passport(make_person, alice):
    person = make_person(
        alice,
        given_name="محمد",
        family_name="الحسن",
        given_name_latin="Mohammed",
        family_name_latin="Al-Hassan",
    )
    assert person.latin_name == "Mohammed Al-Hassan"


def test_it_writes_search_keys_for_names_aliases_and_phone(make_person, alice):
    person = make_person(alice, aliases=["Aleksandr Kovalenko"], phone="+386 41 555 666")
    keys = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
    assert {"f:oleksandr", "f:aleksandr", "s:lksndr", "p:41555666"} <= keys


def test_it_audits_the_registration_with_the_values(person_a, alice):
    entry = AuditEntry.objects.get(action="create", object_type="people.person")
    assert entry.actor == alice.user
    assert entry.person_id == person_a.pk
    # Sealed with the person's key: nothing of the person in clear in the entry.
    assert opened(entry)["changes"]["given_name"] == [None, "Олександр"]
    assert "Олександр" not in entry.object_repr + str(entry.changes) + entry.sealed


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"birth_date": timezone.localdate() + datetime.timedelta(days=1)}, "birth_date", "future"),
        ({"birth_date": datetime.date(1899, 12, 31)}, "birth_date", "1900"),
        ({"birth_year": 1850}, "birth_year", "between"),
        ({"birth_year": 1990, "birth_date": datetime.date(1991, 1, 1)}, "birth_year", "match"),
        (
            {
                "residence_valid_from": datetime.date(2025, 5, 1),
                "residence_valid_until": datetime.date(2025, 4, 1),
            },
            "residence_valid_until",
            "end",
        ),
        ({"given_name": "x" * 101}, "given_name", "100"),
        ({"email": "not-an-address"}, "email", "valid"),
        ({"phone": "call me maybe"}, "phone", "digits"),
        ({"given_name": "   "}, "given_name", "blank"),
        ({"given_name_latin": "Олег"}, "given_name_latin", "Latin"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(alice, fields, field, message):
    data = {"given_name": "Amra", "family_name": "Hodžić", **fields}
    with pytest.raises(ValidationError) as error:
        person_register(member=alice, fields=data)
    assert field in error.value.message_dict
    assert message.lower() in " ".join(error.value.message_dict[field]).lower()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_viewer_may_not_register(bob):
    with pytest.raises(NotAllowed):
        person_register(member=bob, fields={"given_name": "Amra", "family_name": "Hodžić"})
    assert not Person.objects.exists()


def test_an_arabic_script_name_needs_its_latin_spelling(alice):
    with pytest.raises(ValidationError) as error:
        person_register(member=alice, fields={"given_name": "محمد", "family_name": "الحسن"})
    assert {"given_name_latin", "family_name_latin"} <= set(error.value.message_dict)
    person = person_register(
        member=alice,
        fields={
            "given_name": "محمد",
            "family_name": "الحسن",
            "given_name_latin": "Mohammed",
            "family_name_latin": "Al-Hassan",
        },
    )
    assert person.latin_name == "Mohammed Al-Hassan"


def test_the_residence_status_label_is_the_translated_choice(make_person, alice):
    from django.utils import translation

    person = make_person(
        alice, given_name="Amra", family_name="Hodžić", residence_status="IP_REFUGEE"
    )
    with translation.override("sl"):
        assert str(person.residence_status_label) == str(person.get_residence_status_display())
    person.residence_status = "NO_LONGER_A_CODE"
    assert person.residence_status_label == "NO_LONGER_A_CODE"
