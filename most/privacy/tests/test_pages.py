"""The data protection contact's pages: requests and their deadlines, a person's rights."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.html import escape

from most.audit.models import AuditEntry
from most.audit.personal_data import holdings
from most.people.models import Person
from most.privacy.models import SubjectRequest
from most.privacy.services import request_open


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="dpo@example.org")


def test_open_requests_show_their_one_month_deadline_the_nearest_first(
    person_a, make_person, alice, admin_a, login
):
    today = timezone.localdate()
    olena = make_person(alice, given_name="Olena", family_name="Bondarenko")
    late = request_open(
        member=admin_a, person=olena, kind="access", received_on=today - datetime.timedelta(40)
    )
    recent = request_open(member=admin_a, person=person_a, kind="erasure")
    assert recent.due_on == today + relativedelta(months=1)
    page = login(admin_a).get("/app/privacy/").content.decode()
    assert page.index("Bondarenko") < page.index("Kovalenko")  # the overdue one first
    assert "overdue" in page
    assert late.is_overdue_on(today) and not recent.is_overdue_on(today)


def test_a_request_is_recorded_answered_and_kept_in_the_history(person_a, admin_a, login):
    client = login(admin_a)
    response = client.post(
        f"/app/privacy/persons/{person_a.pk}/requests/",
        {"kind": "access", "note": "Asked at the counter, identity card checked"},
        follow=True,
    )
    assert "The request was recorded" in response.content.decode()
    subject_request = SubjectRequest.objects.get()
    response = client.post(
        f"/app/privacy/requests/{subject_request.pk}/close/",
        {"state": "done", "outcome": "Export handed over on paper"},
        follow=True,
    )
    assert "The request was answered" in response.content.decode()
    history = client.get("/app/privacy/").content.decode()
    assert "Export handed over on paper" in history and "No open requests" in history
    assert AuditEntry.objects.filter(object_type="privacy.subjectrequest").count() == 2


def test_a_complex_request_gets_two_more_months_once_within_the_first(person_a, admin_a, login):
    today = timezone.localdate()
    received = today - datetime.timedelta(days=20)
    subject_request = request_open(
        member=admin_a, person=person_a, kind="access", received_on=received
    )
    client = login(admin_a)
    url = f"/app/privacy/requests/{subject_request.pk}/extend/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422
    response = client.post(url, {"reason": "Records in three programmes to gather"}, follow=True)
    assert "The deadline was extended" in response.content.decode()
    subject_request.refresh_from_db()
    assert subject_request.due_on == received + relativedelta(months=3)
    assert "Records in three programmes to gather" in response.content.decode()
    entry = AuditEntry.objects.filter(object_type="privacy.subjectrequest").order_by("pk").last()
    assert entry.changes["due_on"] == [
        (received + relativedelta(months=1)).isoformat(),
        subject_request.due_on.isoformat(),
    ]
    again = client.post(url, {"reason": "Still more"})
    assert again.status_code == 422 and "already extended" in again.content.decode()
    subject_request.refresh_from_db()
    assert subject_request.due_on == received + relativedelta(months=3)


def test_a_deadline_that_has_passed_cannot_be_extended(person_a, admin_a, login):
    received = timezone.localdate() - datetime.timedelta(days=40)
    subject_request = request_open(
        member=admin_a, person=person_a, kind="access", received_on=received
    )
    response = login(admin_a).post(
        f"/app/privacy/requests/{subject_request.pk}/extend/", {"reason": "Too late now"}
    )
    assert response.status_code == 422 and "within the first month" in response.content.decode()
    subject_request.refresh_from_db()
    assert subject_request.due_on == received + relativedelta(months=1)
    assert not subject_request.extended_because


def test_a_refusal_needs_its_reason(person_a, admin_a, login):
    subject_request = request_open(member=admin_a, person=person_a, kind="erasure")
    response = login(admin_a).post(
        f"/app/privacy/requests/{subject_request.pk}/close/", {"state": "refused", "outcome": ""}
    )
    assert response.status_code == 422
    assert "Say why the request is refused" in response.content.decode()
    assert SubjectRequest.objects.get().state == "open"


def test_a_request_cannot_be_received_in_the_future(person_a, admin_a, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(admin_a).post(
        f"/app/privacy/persons/{person_a.pk}/requests/",
        {"kind": "access", "received_on": tomorrow.isoformat()},
    )
    assert response.status_code == 422
    assert not SubjectRequest.objects.exists()


def test_erasure_from_the_page_asks_for_confirmation(person_a, admin_a, login):
    client = login(admin_a)
    response = client.post(f"/app/privacy/persons/{person_a.pk}/erase/", {})
    assert response.status_code == 422
    assert "Tick the box to confirm the erasure" in response.content.decode()
    assert Person.objects.get(pk=person_a.pk).erased_at is None
    response = client.post(
        f"/app/privacy/persons/{person_a.pk}/erase/", {"confirm": "on"}, follow=True
    )
    assert "was erased" in response.content.decode()
    assert Person.objects.get(pk=person_a.pk).erased_at is not None


def test_a_legal_hold_is_shown_instead_of_the_erasure(person_a, admin_a, login):
    client = login(admin_a)
    client.post(
        f"/app/privacy/persons/{person_a.pk}/hold/", {"reason": "Inspection by the ombudsman"}
    )
    page = client.get(f"/app/privacy/persons/{person_a.pk}/").content.decode()
    assert "A legal hold keeps this record" in page and "Inspection by the ombudsman" in page
    response = client.post(f"/app/privacy/persons/{person_a.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 409
    assert Person.objects.get(pk=person_a.pk).erased_at is None


def test_a_legal_hold_cannot_end_in_the_past(person_a, admin_a, login):
    response = login(admin_a).post(
        f"/app/privacy/persons/{person_a.pk}/hold/",
        {"reason": "Court case", "until": "2020-01-01"},
    )
    assert response.status_code == 422
    assert Person.objects.get(pk=person_a.pk).legal_hold_reason == ""


def test_the_records_of_processing_come_from_the_registry(admin_a, login):
    page = login(admin_a).get("/app/privacy/records/").content.decode()
    for holding in holdings():
        assert escape(str(holding.categories)) in page


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer", "analyst"])
def test_the_pages_are_the_contacts_only(person_a, make_member, org_a, login, role):
    client = login(make_member(role, org_a))
    assert client.get("/app/privacy/").status_code == 404
    assert client.get(f"/app/privacy/persons/{person_a.pk}/").status_code == 404


def test_another_organisations_contact_does_not_see_the_person(person_a, make_member, org_b, login):
    client = login(make_member("admin", org_b))
    assert client.get(f"/app/privacy/persons/{person_a.pk}/").status_code == 404
