"""Names hold no invisible or control characters: refused, with the field's message, nothing saved.

Persian names keep their zero width non-joiner between letters.
"""

import pytest
from django.core.exceptions import ValidationError

from most.audit.models import AuditEntry
from most.people import services
from most.people.models import Household, Person, PersonAlias

HIDDEN = [
    "\u202eevil",  # right-to-left override
    "\u200b\u200b\u200b",  # zero width spaces only
    "Ana\x07",  # BEL
    "Ana\U000e0041",  # a tag character
    "Ana\uffff",  # a noncharacter
    "\u200cAna",  # a non-joiner not between letters
    "Ana\ue000",  # private use
]


def counts():
    return tuple(model.objects.count() for model in (Person, PersonAlias, Household, AuditEntry))


@pytest.mark.parametrize("field", ["given_name", "family_name", "given_name_latin", "email"])
@pytest.mark.parametrize("value", HIDDEN)
def test_it_refuses_hidden_characters_in_a_persons_names(alice, field, value):
    fields = {"given_name": "Amra", "family_name": "Hodžić"}
    fields[field] = f"amra{value}@example.org" if field == "email" else value
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.person_register(member=alice, fields=fields)
    assert "invisible or control characters" in refused.value.message_dict[field][0]
    assert counts() == before


def test_the_message_names_the_characters(alice):
    with pytest.raises(ValidationError) as refused:
        services.person_register(
            member=alice, fields={"given_name": "\u202eAna\u200b", "family_name": "Hodžić"}
        )
    assert "(U+202E, U+200B)" in refused.value.message_dict["given_name"][0]


def test_it_refuses_hidden_characters_in_another_name(alice):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.person_register(
            member=alice,
            fields={"given_name": "Amra", "family_name": "Hodžić"},
            aliases=["Amra Hodzic", "Amra\u200b Hodzic"],
        )
    assert "aliases" in refused.value.message_dict
    assert counts() == before


def test_it_refuses_them_in_an_update_and_keeps_the_person(alice, person_a):
    with pytest.raises(ValidationError):
        services.person_update(
            member=alice, person=person_a, version=1, fields={"family_name": "Ko\u200bvalenko"}
        )
    person_a.refresh_from_db()
    assert (person_a.family_name, person_a.version) == ("Коваленко", 1)


@pytest.mark.parametrize("name", ["\u200b", "Kovalenko\u202e", "\x1b[31m"])
def test_it_refuses_them_in_a_household_name(alice, name):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.household_create(member=alice, name=name)
    assert "name" in refused.value.message_dict
    assert counts() == before
    household = services.household_create(member=alice, name="Kovalenko")
    with pytest.raises(ValidationError):
        services.household_update(
            member=alice, household=household, version=1, fields={"name": name}
        )
    household.refresh_from_db()
    assert (household.name, household.version) == ("Kovalenko", 1)


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("رضا", "رحیم\u200cزاده"),  # Persian: ZWNJ between letters
        ("مهسا", "می\u200cزاده"),
        ("अक्\u200dषय", "Sharma"),  # Devanagari: ZWJ after a virama
    ],
)
def test_it_keeps_joiners_between_letters(alice, given, family):
    person = services.person_register(
        member=alice,
        fields={
            "given_name": given,
            "family_name": family,
            "given_name_latin": "Reza",
            "family_name_latin": "Rahimzadeh",
        },
        aliases=[family],
    )
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == (given, family)
    assert [alias.name for alias in person.aliases.all()] == [family]


def test_the_person_form_shows_the_message_on_the_field(login, alice):
    before = counts()
    response = login(alice).post(
        "/app/persons/new/",
        {
            "given_name": "Ana\u200b",
            "family_name": "Hodžić",
            "aliases": "Ana\u202e",
            "sex": "U",
            "residence_status": "UNKNOWN",
        },
    )
    assert response.status_code == 422
    assert "invisible or control characters" in response.context["form"].errors["given_name"][0]
    assert counts() == before


def test_the_household_form_shows_the_message_on_the_field(login, alice):
    before = counts()
    response = login(alice).post("/app/persons/households/new/", {"name": "\u200b\u200b"})
    assert response.status_code == 422
    assert "invisible or control characters" in response.context["form"].errors["name"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("address", "payload", "field"),
    [
        ("/api/persons/", {"given_name": "\u202eAna", "family_name": "H"}, "given_name"),
        ("/api/persons/", {"given_name": "Ana", "family_name": "H\x07"}, "family_name"),
        (
            "/api/persons/",
            {"given_name": "A", "family_name": "H", "aliases": ["\u200b"]},
            "aliases",
        ),
        ("/api/households/", {"name": "\u200b\u200b"}, "name"),
    ],
)
def test_the_api_answers_400_with_the_fields_message(alice_api, address, payload, field):
    before = counts()
    response = alice_api.post(address, payload, format="json")
    assert response.status_code == 400, response.content
    assert "invisible or control characters" in response.json()[field][0]
    assert counts() == before


def test_the_api_refuses_them_in_an_update(alice_api, person_a):
    response = alice_api.patch(
        f"/api/persons/{person_a.pk}/", {"version": 1, "given_name": "\ufeffAna"}, format="json"
    )
    assert response.status_code == 400 and "given_name" in response.json()
    person_a.refresh_from_db()
    assert person_a.version == 1
