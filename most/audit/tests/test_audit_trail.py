import pytest

from most.audit.models import AppendOnlyError, AuditEntry


def test_viewing_a_person_writes_an_access_entry(login, alice, person_a):
    client = login(alice)
    response = client.get(f"/app/persons/{person_a.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor, entry.person_id, entry.organisation) == (
        alice.user,
        person_a.pk,
        alice.organisation,
    )


def test_reading_through_the_api_writes_an_access_entry(client, alice, person_a):
    client.force_login(alice.user)
    assert client.get(f"/api/persons/{person_a.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="view", person_id=person_a.pk).count() == 1


def test_entries_cannot_be_changed_or_deleted(person_a):
    entry = AuditEntry.objects.first()
    entry.object_repr = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(object_repr="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr != "tampered"


def test_the_django_admin_cannot_edit_or_delete_entries(client, person_a, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    entry = AuditEntry.objects.first()
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_admin_sees_who_read_their_records_even_from_another_organisation(
    login, make_member, org_a, person_a, charlie
):
    admin = make_member("admin", org_a)
    from most.people.services import person_record_view

    person_record_view(member=charlie, person=person_a)
    response = login(admin).get("/app/audit/?action=view")
    assert response.status_code == 200
    assert charlie.user.email in response.content.decode()


def test_an_admin_does_not_see_another_organisations_trail(login, make_member, org_b, person_a):
    admin_b = make_member("admin", org_b)
    response = login(admin_b).get("/app/audit/")
    assert response.status_code == 200
    assert str(person_a.latin_name) not in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer", "analyst"])
def test_only_administrators_browse_the_trail(login, make_member, org_a, role):
    assert login(make_member(role, org_a)).get("/app/audit/").status_code == 404


def test_a_search_is_audited_with_its_text_and_result_count(login, alice, person_a):
    login(alice).get("/app/persons/?q=Kovalenko")
    entry = AuditEntry.objects.get(action="search")
    assert (entry.object_repr, entry.changes["results"]) == ("Kovalenko", 1)
