"""Dates no consent or residence status can have (year 1, 9999) are refused, nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from most.audit.models import AuditEntry
from most.people import services
from most.people.models import Consent, Person

TODAY = timezone.localdate()
YEAR_1 = datetime.date(1, 1, 1)
YEAR_9999 = datetime.date(9999, 12, 31)


def counts():
    return Person.objects.count(), Consent.objects.count(), AuditEntry.objects.count()


def consent(**fields):
    return {"purpose": "contact", "given_on": TODAY, "evidence": "verbal", **fields}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"given_on": YEAR_1}, "given_on", "before 1990"),
        ({"given_on": datetime.date(1989, 12, 31)}, "given_on", "before 1990"),
        ({"given_on": YEAR_9999}, "given_on", "in the future"),
        ({"expires_on": YEAR_9999}, "expires_on", "more than 100 years"),
        ({"expires_on": datetime.date(TODAY.year + 101, 1, 1)}, "expires_on", "100 years"),
        ({"expires_on": YEAR_1}, "expires_on", "before it is given"),
    ],
)
def test_it_refuses_an_implausible_consent_date(alice, person_a, fields, field, message):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.consent_record(member=alice, person=person_a, fields=consent(**fields))
    assert message in refused.value.message_dict[field][0]
    assert counts() == before


def test_it_accepts_the_plausible_ends(alice, person_a):
    for fields in (
        {"given_on": datetime.date(1990, 1, 1)},
        {"expires_on": datetime.date(TODAY.year + 100, 1, 1)},
    ):
        services.consent_record(member=alice, person=person_a, fields=consent(**fields))
    assert person_a.consents.count() == 2


@pytest.mark.parametrize("day", [YEAR_1, YEAR_9999])
def test_it_refuses_an_implausible_withdrawal_date(alice, person_a, day):
    given = services.consent_record(member=alice, person=person_a, fields=consent())
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.consent_withdraw(member=alice, consent=given, on=day)
    assert "withdrawn_on" in refused.value.message_dict
    assert counts() == before
    given.refresh_from_db()
    assert given.withdrawn_on is None


@pytest.mark.parametrize("field", ["residence_valid_from", "residence_valid_until"])
@pytest.mark.parametrize(
    "day", [YEAR_1, datetime.date(1944, 12, 31), datetime.date(2101, 1, 1), YEAR_9999]
)
def test_it_refuses_an_implausible_residence_date(alice, field, day):
    before = counts()
    fields = {"given_name": "Amra", "family_name": "Hodžić", field: day}
    with pytest.raises(ValidationError) as refused:
        services.person_register(member=alice, fields=fields)
    assert refused.value.message_dict[field] == ["Enter a date between 1945 and 2100."]
    assert counts() == before


def test_it_accepts_residence_dates_within_the_bounds(alice):
    person = services.person_register(
        member=alice,
        fields={
            "given_name": "Amra",
            "family_name": "Hodžić",
            "residence_valid_from": datetime.date(1945, 1, 1),
            "residence_valid_until": datetime.date(2100, 12, 31),
        },
    )
    assert person.residence_valid_until.year == 2100


def test_the_person_form_shows_them_as_field_errors(login, alice, person_a):
    before = counts()
    response = login(alice).post(
        f"/app/persons/{person_a.pk}/edit/",
        {
            "version": "1",
            "given_name": "Олександр",
            "family_name": "Коваленко",
            "sex": "U",
            "residence_status": "UNKNOWN",
            "residence_valid_from": "0001-01-01",
            "residence_valid_until": "9999-12-31",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["residence_valid_from"] == errors["residence_valid_until"]
    assert counts() == before


def test_the_consent_form_shows_them_as_field_errors(login, alice, person_a):
    before = counts()
    response = login(alice).post(
        f"/app/persons/{person_a.pk}/consents/",
        {"purpose": "contact", "given_on": "0001-01-01", "evidence": "verbal"},
    )
    assert response.status_code == 422
    assert "before 1990" in response.context["consent_form"].errors["given_on"][0]
    assert counts() == before


def test_the_api_answers_400_with_the_fields_message(alice_api, person_a):
    before = counts()
    address = f"/api/persons/{person_a.pk}/consents/"
    for payload, field in (
        ({"given_on": "0001-01-01"}, "given_on"),
        ({"expires_on": "9999-12-31"}, "expires_on"),
    ):
        response = alice_api.post(address, consent(**payload), format="json")
        assert response.status_code == 400 and field in response.json(), response.content
    for field in ("residence_valid_from", "residence_valid_until"):
        response = alice_api.patch(
            f"/api/persons/{person_a.pk}/", {"version": 1, field: "9999-12-31"}, format="json"
        )
        assert response.status_code == 400 and field in response.json(), response.content
    assert counts() == before
