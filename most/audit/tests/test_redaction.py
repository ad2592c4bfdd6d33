"""An entry never shows a reader a value the reader may not see."""

import pytest

from most.audit.models import AuditEntry
from most.audit.selectors import entries_shown
from most.people.services import person_update


@pytest.fixture
def changed(person_a, alice):
    """Her vulnerabilities (sensitive) and her municipality changed in one save."""
    return person_update(
        member=alice,
        person=person_a,
        version=person_a.version,
        fields={"municipality": "Maribor"},
        vulnerabilities=["RCD.TORTURE_RAPE_VIOLENCE"],
    )


def test_a_sensitive_field_is_recorded_as_changed_without_its_value(changed):
    entry = AuditEntry.objects.get(action="update", person_id=changed.pk)
    assert "vulnerabilities" in entry.changed_fields
    from conftest import opened

    assert "vulnerabilities" not in opened(entry)["changes"]
    assert "RCD.TORTURE_RAPE_VIOLENCE" not in str(opened(entry)) + str(entry.changes)


def test_a_caseworker_reading_the_history_sees_changed_and_no_value(
    changed, make_member, org_a, login
):
    caseworker = make_member("caseworker", org_a)
    page = login(caseworker).get(f"/app/persons/{changed.pk}/history/").content.decode()
    assert "Maribor" in page  # a field she may see: before and after
    assert "vulnerabilities" in page and "changed" in page
    assert "RCD.TORTURE_RAPE_VIOLENCE" not in page and "Survivor of torture" not in page


def test_the_history_is_the_keeping_organisations_only(changed, charlie, login):
    assert login(charlie).get(f"/app/persons/{changed.pk}/history/").status_code == 404


@pytest.mark.parametrize("role", ["admin", "caseworker", "counsellor", "viewer", "coordinator"])
def test_no_role_of_another_organisation_reads_the_entries(changed, make_member, org_b, role):
    member = make_member(role, org_b)
    from most.audit.selectors import audit_pages

    assert not list(audit_pages(member, person_id=changed.pk)[:50])


def test_a_reader_sees_values_of_their_own_records_only(changed, make_member, org_b, charlie):
    """An entry that another organisation's member wrote about this record shows no name to
    that organisation's administrator: the record is not theirs."""
    from most.people.services import person_view_audit

    person_view_audit(member=charlie, person=changed)  # as if read through a grant
    entry = AuditEntry.objects.filter(action="view", organisation=charlie.organisation).get()
    [shown] = entries_shown([entry], organisation_id=charlie.organisation_id)
    assert shown.object == "" and shown.person_id == changed.pk
    [own] = entries_shown([entry], organisation_id=changed.organisation_id)
    assert "Kovalenko" in own.object


def test_the_audit_page_shows_changed_for_the_sensitive_field(changed, make_member, org_a):
    from most.audit.selectors import audit_pages

    admin = make_member("admin", org_a)
    shown = entries_shown(audit_pages(admin, action="update")[:50], organisation_id=org_a.pk)
    rows = {name: (note, before, after) for name, note, before, after in shown[0].changes}
    assert rows["municipality"] == (None, "Ljubljana", "Maribor")
    assert str(rows["vulnerabilities"][0]) == "changed" and rows["vulnerabilities"][1:] == (
        None,
        None,
    )
