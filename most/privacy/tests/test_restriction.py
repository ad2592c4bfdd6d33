"""Restriction (Art. 18): frozen, shared with nobody, hidden from everyone but the contact."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from most.audit.models import AuditEntry
from most.lib.errors import NotAllowed
from most.people.models import PersonSearchKey
from most.people.selectors import PersonQuery, person_search
from most.people.services import access_grant_create, consent_record, person_update
from most.privacy.services import person_restrict, person_restriction_lift


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="dpo@example.org")


@pytest.fixture
def shared(person_a, alice, charlie):
    consent = consent_record(
        member=alice,
        person=person_a,
        fields={"purpose": "sharing", "given_on": datetime.date(2026, 1, 5), "evidence": "signed"},
    )
    access_grant_create(
        member=alice,
        person=person_a,
        organisation=charlie.organisation,
        fields=["phone"],
        reason="referral",
        consent=consent,
    )
    return consent


def _found(member, text):
    return list(person_search(member, PersonQuery(text=text)).persons)


def test_a_restricted_record_is_hidden_frozen_and_shared_with_nobody(
    person_a, shared, admin_a, alice, charlie, login, api_as
):
    person_restrict(member=admin_a, person=person_a, reason="The person contests its accuracy")
    person_a.refresh_from_db()
    # Hidden: lists, search, the record itself, for the keeping organisation's staff...
    assert login(alice).get(f"/app/persons/{person_a.pk}/").status_code == 404
    assert "Kovalenko" not in login(alice).get("/app/persons/").content.decode()
    assert _found(alice, "Kovalenko") == []
    assert not PersonSearchKey.objects.filter(person=person_a).exists()
    # ...and for the organisation it was shared with.
    assert api_as(charlie).get(f"/api/persons/{person_a.pk}/").status_code == 404
    # Frozen: no change, no new consent, no sharing.
    with pytest.raises(NotAllowed):
        person_update(member=alice, person=person_a, version=person_a.version, fields={})
    with pytest.raises(NotAllowed):
        consent_record(
            member=alice,
            person=person_a,
            fields={
                "purpose": "contact",
                "given_on": datetime.date(2026, 1, 5),
                "evidence": "signed",
            },
        )
    with pytest.raises(NotAllowed):
        access_grant_create(
            member=alice,
            person=person_a,
            organisation=charlie.organisation,
            fields=["phone"],
            reason="referral",
            consent=shared,
        )
    assert AuditEntry.objects.filter(action="restrict", person_id=person_a.pk).exists()


def test_the_data_protection_contact_still_lists_and_opens_it(person_a, admin_a, api_as):
    person_restrict(member=admin_a, person=person_a, reason="Contested")
    client = api_as(admin_a)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 200
    listed = client.get("/api/persons/").json()["results"]
    assert person_a.pk in [row["id"] for row in listed]


def test_lifting_the_restriction_brings_it_back_everywhere(
    person_a, shared, admin_a, alice, charlie, api_as
):
    person_restrict(member=admin_a, person=person_a, reason="Contested")
    person_a.refresh_from_db()
    person_restriction_lift(member=admin_a, person=person_a)
    assert [p.pk for p in _found(alice, "Kovalenko")] == [person_a.pk]
    assert api_as(charlie).get(f"/api/persons/{person_a.pk}/").status_code == 200
    entries = AuditEntry.objects.filter(action="restrict", person_id=person_a.pk)
    assert sorted(entry.changes["restricted"] for entry in entries) == [False, True]


def test_a_restriction_needs_a_reason(person_a, admin_a):
    with pytest.raises(ValidationError):
        person_restrict(member=admin_a, person=person_a, reason="  ")


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor"])
def test_only_the_contact_restricts(person_a, make_member, org_a, role):
    with pytest.raises(NotAllowed):
        person_restrict(member=make_member(role, org_a), person=person_a, reason="Contested")
