import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import opened
from most.audit.models import AuditEntry
from most.people.models import AccessGrant
from most.people.services import access_grant_create, consent_record, consent_withdraw

TODAY = datetime.date.today()


@pytest.fixture
def sharing_consent(alice, person_a):
    return consent_record(
        member=alice,
        person=person_a,
        fields={
            "purpose": "sharing",
            "given_on": TODAY,
            "evidence": "signed",
            "scope": "Referral to the employment service",
        },
    )


def share(alice, person_a, charlie, consent, fields=("phone",)):
    return access_grant_create(
        member=alice,
        person=person_a,
        organisation=charlie.organisation,
        fields=list(fields),
        reason="referral",
        consent=consent,
    )


def test_consent_validity_follows_its_dates(alice, person_a):
    consent = consent_record(
        member=alice,
        person=person_a,
        fields={
            "purpose": "statistics",
            "given_on": TODAY - datetime.timedelta(days=400),
            "expires_on": TODAY - datetime.timedelta(days=35),
            "evidence": "verbal",
        },
    )
    assert not consent.is_valid_today
    assert consent.is_valid_on(TODAY - datetime.timedelta(days=100))


def test_sharing_without_a_valid_consent_is_refused(alice, person_a, charlie):
    with pytest.raises(ValidationError, match="no valid consent"):
        share(alice, person_a, charlie, consent=None)
    assert not AccessGrant.objects.exists()


def test_a_grant_shows_only_the_shared_fields(client, alice, person_a, charlie, sharing_consent):
    share(alice, person_a, charlie, sharing_consent, fields=["phone"])
    client.force_login(charlie.user)
    data = client.get(f"/api/persons/{person_a.pk}/").json()
    assert data["family_name_latin"] == "Kovalenko" and data["phone"] == "041 234 567"
    assert "birth_date" not in data and "residence_status" not in data
    page = client.get(f"/app/persons/{person_a.pk}/").content.decode()
    assert "041 234 567" in page and "1984" not in page
    # Shared persons are not part of the other organisation's caseload lists.
    assert client.get("/api/persons/?q=Kovalenko").json()["count"] == 0


def test_withdrawing_consent_stops_sharing_at_once(
    client, alice, person_a, charlie, sharing_consent
):
    grant = share(alice, person_a, charlie, sharing_consent)
    consent_withdraw(member=alice, consent=sharing_consent, note="Changed her mind")
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    client.force_login(charlie.user)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 404
    entry = AuditEntry.objects.filter(object_type="people.consent", action="update").get()
    assert opened(entry)["changes"]["grants_revoked"] == [None, [grant.pk]]


def test_a_withdrawn_consent_cannot_be_withdrawn_again(alice, sharing_consent):
    consent_withdraw(member=alice, consent=sharing_consent)
    with pytest.raises(ValidationError, match="already withdrawn"):
        consent_withdraw(member=alice, consent=sharing_consent)


def test_a_grant_past_its_date_no_longer_shows_the_person(
    client, alice, person_a, charlie, sharing_consent
):
    grant = share(alice, person_a, charlie, sharing_consent)
    AccessGrant.objects.filter(pk=grant.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
    client.force_login(charlie.user)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 404


def test_a_grant_ends_when_the_consent_behind_it_expires(
    client, alice, person_a, charlie, sharing_consent
):
    share(alice, person_a, charlie, sharing_consent)
    client.force_login(charlie.user)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 200
    type(sharing_consent).objects.filter(pk=sharing_consent.pk).update(
        given_on=TODAY - datetime.timedelta(days=400),
        expires_on=TODAY - datetime.timedelta(days=1),
    )
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 404
    assert client.get(f"/app/persons/{person_a.pk}/").status_code == 404


def test_of_two_withdrawals_of_one_reading_only_the_first_is_saved(alice, sharing_consent):
    from most.lib.errors import Conflict
    from most.people.models import Consent

    first = Consent.objects.get(pk=sharing_consent.pk)
    second = Consent.objects.get(pk=sharing_consent.pk)  # read at the same moment
    consent_withdraw(member=alice, consent=first, note="At the counter")
    with pytest.raises(Conflict):
        consent_withdraw(member=alice, consent=second, note="By phone")
    saved = Consent.objects.get(pk=sharing_consent.pk)
    assert (saved.withdrawal_note, saved.version) == ("At the counter", 2)
    assert AuditEntry.objects.filter(object_type="people.consent", action="update").count() == 1


def test_the_withdraw_button_sends_the_version_it_showed(login, alice, sharing_consent):
    client = login(alice)
    consent_withdraw(member=alice, consent=sharing_consent)  # meanwhile, at another desk
    response = client.post(
        f"/app/persons/consents/{sharing_consent.pk}/withdraw/", {"version": 1}, follow=True
    )
    assert "already withdrawn" in response.content.decode()


def test_a_stale_api_withdrawal_is_a_conflict(client, alice, person_a):
    consent = consent_record(
        member=alice,
        person=person_a,
        fields={"purpose": "photos", "given_on": TODAY, "evidence": "signed"},
    )
    client.force_login(alice.user)
    url = f"/api/consents/{consent.pk}/withdraw/"
    stale = client.post(url, {"version": 7}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    done = client.post(url, {"version": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["version"] == 2
