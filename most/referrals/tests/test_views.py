"""The referral pages and API as the two organisations use them: what each sees, what is
refused and how, and that the receiver never reads more than the referral shares."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from most.audit.models import AuditEntry
from most.people import services as people
from most.referrals.models import Referral, State


@pytest.fixture
def sent(refer):
    return refer(fields=["phone"])


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_counsellor_finds_a_service_and_refers_with_the_default_fields(referral_world, login):
    world = referral_world
    client = login(world["sender"])
    url = f"/app/referrals/new/{world['person'].pk}/"
    page = _page(client, url)
    assert "Brezplačna pravna pomoč" not in page  # nothing searched yet
    found = client.post(url, {"service_query": "pravna", "find": "1"}).content.decode()
    assert "Brezplačna pravna pomoč" in found and 'name="service"' in found
    response = client.post(
        url,
        {
            "service": str(world["service"].pk),
            "reason": "Potrebuje pravni nasvet.",
            "urgency": "soon",
            "fields": ["birth_year", "languages", "phone", "email"],
            "send": "1",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/app/referrals/{referral.pk}/"
    assert referral.state == State.SENT and referral.urgency == "soon"
    assert referral.fields == ["birth_year", "email", "languages", "phone"]


def test_refused_without_consent_with_the_reason_then_sent_with_the_consent_given_now(
    referral_world, login, make_person
):
    world = referral_world
    person = make_person(world["sender"], given_name="Lejla", family_name="Begić")
    client = login(world["sender"])
    url = f"/app/referrals/new/{person.pk}/"
    data = {"service": str(world["service"].pk), "reason": "Pravna pomoč.", "urgency": "routine"}
    refused = client.post(url, {**data, "send": "1"})
    assert refused.status_code == 422
    assert "has not consented to sharing their data with Zavod Odprta vrata" in (
        refused.content.decode()
    )
    assert not Referral.objects.exists()
    # Without saying how the consent is recorded, the consent is not taken.
    incomplete = client.post(url, {**data, "send": "1", "consent_now": "on"})
    assert incomplete.status_code == 422 and not Referral.objects.exists()
    response = client.post(
        url,
        {
            **data,
            "send": "1",
            "consent_now": "on",
            "consent_given_on": "2026-12-01",
            "consent_evidence": "signed",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.state == State.SENT and referral.consent.recipient_id == referral.receiver_id


def test_a_draft_is_kept_without_consent_and_sent_later(referral_world, login, make_person):
    world = referral_world
    person = make_person(world["sender"], given_name="Lejla", family_name="Begić")
    client = login(world["sender"])
    data = {"receiver": world["receiver"].organisation_id, "reason": "x", "urgency": "routine"}
    client.post(f"/app/referrals/new/{person.pk}/", {**data, "draft": "1"})
    draft = Referral.objects.get()
    assert draft.state == State.DRAFT and draft.consent is None
    # The receiver does not see a draft at all.
    assert login(world["receiver"]).get(f"/app/referrals/{draft.pk}/").status_code == 404
    client = login(world["sender"])
    response = client.post(
        f"/app/referrals/{draft.pk}/edit/",
        {
            **data,
            "version": draft.version,
            "send": "1",
            "consent_now": "on",
            "consent_given_on": "2026-12-01",
            "consent_evidence": "verbal",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().state == State.SENT


def test_the_receiver_sees_only_the_shared_fields_and_only_after_accepting(
    referral_world, sent, login, api_as
):
    world = referral_world
    client = login(world["receiver"])
    before = _page(client, f"/app/referrals/{sent.pk}/")
    assert "Amra" not in before and "041 555 123" not in before
    assert "once you accept" in before
    client.post(f"/app/referrals/{sent.pk}/accept/", {"version": sent.version})
    page = _page(client, f"/app/referrals/{sent.pk}/")
    assert "Amra Hodžić" in page and "041 555 123" in page
    for hidden in ("amra@example.org", "Celovška", "1990", "Bosnian"):
        assert hidden not in page
    # The person's own page, through the grant: the same fields.
    person_page = _page(client, f"/app/persons/{world['person'].pk}/")
    assert "041 555 123" in person_page and "Celovška" not in person_page
    # The API.
    api = api_as(world["receiver"])
    data = api.get(f"/api/referrals/{sent.pk}/").json()
    assert data["person_name"] == "Amra Hodžić"
    assert list(data["shared"].values()) == ["041 555 123"]
    person = api.get(f"/api/persons/{world['person'].pk}/").json()
    assert person["phone"] == "041 555 123" and "email" not in person and "address" not in person
    # The export.
    export = client.get("/app/referrals/export.csv?view=all")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["given_name"] == "Amra" and rows[0]["phone"] == "041 555 123"
    assert rows[0]["email"] == rows[0]["address"] == rows[0]["birth_year"] == ""
    # Search in the inbox finds the person by name once shared.
    assert "Hodžić" in _page(client, "/app/referrals/?view=all&q=hodzic")
    # Every read of the person was audited.
    assert AuditEntry.objects.filter(
        person_id=world["person"].pk, action="view", organisation=world["receiver"].organisation
    ).exists()


def test_completing_shows_the_feedback_to_the_sender_and_ends_the_access(
    referral_world, sent, login
):
    world = referral_world
    receiver = login(world["receiver"])
    receiver.post(f"/app/referrals/{sent.pk}/accept/", {"version": sent.version})
    sent.refresh_from_db()
    receiver.post(f"/app/referrals/{sent.pk}/start/", {"version": sent.version})
    sent.refresh_from_db()
    refused = receiver.post(f"/app/referrals/{sent.pk}/complete/", {"version": sent.version})
    assert refused.status_code == 302 and Referral.objects.get().state == State.IN_PROGRESS
    receiver.post(
        f"/app/referrals/{sent.pk}/complete/",
        {"version": sent.version, "note": "Vloga za podaljšanje je oddana."},
    )
    assert Referral.objects.get().state == State.COMPLETED
    assert receiver.get(f"/app/persons/{world['person'].pk}/").status_code == 404
    sender = login(world["sender"])
    page = _page(sender, f"/app/referrals/{sent.pk}/")
    assert "Vloga za podaljšanje je oddana." in page and "Completed" in page
    notices = _page(sender, "/app/referrals/notifications/")
    assert "Zavod Odprta vrata completed referral" in notices


def test_withdrawing_the_consent_ends_the_receivers_access_at_once(referral_world, sent, login):
    world = referral_world
    receiver = login(world["receiver"])
    receiver.post(f"/app/referrals/{sent.pk}/accept/", {"version": sent.version})
    assert "041 555 123" in _page(receiver, f"/app/referrals/{sent.pk}/")
    people.consent_withdraw(member=world["sender"], consent=world["consent"])
    page = _page(receiver, f"/app/referrals/{sent.pk}/")
    assert "041 555 123" not in page and "Amra" not in page
    assert "consent to sharing was withdrawn" in page


def test_a_stale_answer_gets_a_clear_conflict_and_changes_nothing(
    referral_world, sent, login, make_member
):
    world = referral_world
    other = make_member("counsellor", world["receiver"].organisation)
    login(world["receiver"]).post(f"/app/referrals/{sent.pk}/accept/", {"version": sent.version})
    client = login(other)
    response = client.post(
        f"/app/referrals/{sent.pk}/decline/",
        {"version": sent.version, "reason": "no_capacity"},
        follow=True,
    )
    assert "it cannot be changed that way any more" in response.content.decode()
    assert Referral.objects.get().state == State.ACCEPTED


def test_bad_input_never_fails_the_server(referral_world, sent, login):
    world = referral_world
    receiver = login(world["receiver"])
    for action, data in [
        ("accept", {"version": "abc"}),
        ("decline", {"version": "2", "reason": "bogus"}),
        ("nonsense", {"version": "2"}),
        ("send", {"version": "2"}),
        ("close", {"version": "2", "reason": "other", "note": "\x00"}),
    ]:
        response = receiver.post(f"/app/referrals/{sent.pk}/{action}/", data)
        assert response.status_code in (302, 404), (action, response.status_code)
    sender = login(world["sender"])
    url = f"/app/referrals/new/{world['person'].pk}/"
    for data in [
        {"service": "not-a-uuid", "reason": "x", "urgency": "routine", "send": "1"},
        {"service": "2b0e6a54-0000-4000-8000-000000000000", "reason": "x", "urgency": "routine"},
        {"receiver": "99999999999999999999", "reason": "x", "urgency": "routine"},
        {"receiver": sender_org(world), "reason": "x", "urgency": "routine", "send": "1"},
        {"service_query": "x" * 500, "find": "1"},
    ]:
        assert sender.post(url, data).status_code in (200, 422)
    assert Referral.objects.count() == 1


def sender_org(world):
    return world["sender"].organisation_id


def test_the_inbox_shows_new_and_overdue_referrals_to_the_receiver(referral_world, sent, login):
    receiver = login(referral_world["receiver"])
    page = _page(receiver, "/app/referrals/")
    assert f"Referral {sent.pk}" in page and "Brezplačna pravna pomoč" in page
    assert "waiting too long" not in _page(receiver, "/app/referrals/?view=overdue")
    Referral.objects.filter(pk=sent.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    overdue = _page(receiver, "/app/referrals/?view=overdue")
    assert "waiting too long" in overdue
    sender_page = _page(login(referral_world["sender"]), "/app/referrals/sent/")
    assert "Amra Hodžić" in sender_page


def test_the_receivers_mailbox_gets_a_mail_that_does_not_name_the_person(
    referral_world, refer, django_capture_on_commit_callbacks
):
    organisation = referral_world["receiver"].organisation
    organisation.email = "info@odprta-vrata.example"
    organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer()
    (message,) = mail.outbox
    assert message.to == ["info@odprta-vrata.example"]
    assert f"/app/referrals/{referral.pk}/" in message.body
    assert "Amra" not in message.body + message.subject


def test_the_api_refers_and_answers_through_the_same_rules(referral_world, api_as, make_person):
    world = referral_world
    api = api_as(world["sender"])
    person = make_person(world["sender"], given_name="Lejla", family_name="Begić")
    refused = api.post(
        "/api/referrals/",
        {"person": person.pk, "service": str(world["service"].pk), "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "consent" in refused.json()
    created = api.post(
        "/api/referrals/",
        {
            "person": person.pk,
            "service": str(world["service"].pk),
            "reason": "x",
            "consent": {"given_on": "2026-12-01", "evidence": "signed"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    referral = created.json()
    receiver = api_as(world["receiver"])
    listed = receiver.get("/api/referrals/?box=inbox&view=new").json()
    assert [r["id"] for r in listed["results"]] == [referral["id"]]
    assert listed["results"][0]["person"] is None
    answer = {"action": "accept", "version": referral["version"]}
    assert (
        receiver.post(
            f"/api/referrals/{referral['id']}/transitions/", answer, format="json"
        ).status_code
        == 200
    )
    again = receiver.post(f"/api/referrals/{referral['id']}/transitions/", answer, format="json")
    assert again.status_code == 409
    notice = api.get("/api/notifications/").json()["results"][0]
    assert notice["kind"] == "accept"
    assert notice["text"] == f"Zavod Odprta vrata accepted referral {referral['id']}"
