import pytest

from conftest import opened
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
    from most.people.services import person_view_audit

    person_view_audit(member=charlie, person=person_a)
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
    # What was typed may be a name: sealed with the search's own key, not in clear.
    assert (entry.object_repr, entry.changes["results"]) == ("", 1)
    assert opened(entry)["object"] == "Kovalenko"


LIVE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def test_a_search_typed_live_is_one_entry_with_every_person_it_showed(
    login, alice, person_a, make_person
):
    olena = make_person(alice, given_name="Olena", family_name="Bondarenko")
    fatima = make_person(alice, given_name="Fatima", family_name="Hassan")
    client = login(alice)
    for text in ["O", "Ol", "Ole", "Olek"]:
        client.get("/app/persons/", {"q": text}, **LIVE)
    entry = AuditEntry.objects.get(action="search")
    assert opened(entry)["object"] == "O"  # where the search began
    assert set(entry.persons.values_list("person_id", flat=True)) == {person_a.pk, olena.pk}
    client.get("/app/persons/", {"q": "Fat"}, **LIVE)  # another search
    latest = AuditEntry.objects.filter(action="search").latest("pk")
    assert opened(latest)["object"] == "Fat"
    assert list(latest.persons.values_list("person_id", flat=True)) == [fatima.pk]


def test_every_page_that_lists_persons_is_audited_with_their_ids(login, alice, person_a):
    from most.people.services import household_add_member, household_create

    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    client = login(alice)
    for url in [
        "/app/persons/",
        "/app/persons/households/",
        f"/app/persons/households/{household.pk}/",
    ]:
        before = AuditEntry.objects.count()
        client.get(url)
        entry = AuditEntry.objects.latest("pk")
        assert AuditEntry.objects.count() == before + 1, url
        assert entry.action == "list", url
        assert list(entry.persons.values_list("person_id", flat=True)) == [person_a.pk], url


def test_opening_the_edit_form_is_a_read(login, alice, person_a):
    login(alice).get(f"/app/persons/{person_a.pk}/edit/")
    entry = AuditEntry.objects.get(action="view")
    assert (entry.person_id, entry.changes) == (person_a.pk, {"via": "edit form"})


def test_the_persons_an_entry_showed_cannot_be_changed_or_removed(login, alice, person_a):
    from most.audit.models import AuditedPerson

    login(alice).get("/app/persons/")
    shown = AuditedPerson.objects.get(person_id=person_a.pk)
    for attempt in (
        lambda: AuditedPerson.objects.all().delete(),
        lambda: AuditedPerson.objects.all().update(person_id=1),
        shown.delete,
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditedPerson.objects.filter(person_id=person_a.pk).exists()
