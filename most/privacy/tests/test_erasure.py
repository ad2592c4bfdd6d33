"""Erasure: nothing of the person anywhere, the counts and the audit trail's entries unchanged."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from most.audit.models import AuditEntry
from most.audit.sealing import open_entries
from most.people.models import AccessGrant, Person, PersonSearchKey, SearchVariant
from most.people.selectors import PersonQuery, _registry_counts
from most.people.services import (
    access_grant_create,
    consent_record,
    household_add_member,
    household_create,
    person_update,
    persons_export_start,
)
from most.privacy.services import export_start, legal_hold_set, person_erase

NAMES = {
    "given_name": "Ярослава",
    "family_name": "Шевчукевич",
    "given_name_latin": "Yaroslava",
    "family_name_latin": "Shevchukevych",
}
# Every value of the person's that must be gone, as stored and as folded for search.
VALUES = [
    *NAMES.values(),
    "Slavka Shevchukevych-Bilyk",
    "Trubarjeva 77",
    "yaroslava.s@example.org",
    "987654",
    "Vanja Svidetelka",  # the witness of her consent
    "Dom Shevchukevych",  # her household's name
]


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="dpo@example.org")


@pytest.fixture
def yaroslava(make_person, alice, org_b, charlie):
    person = make_person(
        alice,
        aliases=["Slavka Shevchukevych-Bilyk"],
        languages=["uk"],
        vulnerabilities=["RCD.SINGLE_PARENT"],
        birth_date=datetime.date(1991, 5, 17),
        sex="F",
        country_of_origin="UA",
        municipality="Ljubljana",
        address="Trubarjeva 77",
        phone="+386 41 987 654",
        email="yaroslava.s@example.org",
        **NAMES,
    )
    person = person_update(member=alice, person=person, version=1, fields={"slovenian_level": "A2"})
    household = household_create(member=alice, name="Dom Shevchukevych")
    household_add_member(member=alice, household=household, person=person, relationship="head")
    consent = consent_record(
        member=alice,
        person=person,
        fields={
            "purpose": "sharing",
            "given_on": datetime.date(2026, 1, 5),
            "evidence": "verbal",
            "evidence_reference": "Vanja Svidetelka",
        },
    )
    access_grant_create(
        member=alice,
        person=person,
        organisation=org_b,
        fields=["phone"],
        reason="referral",
        consent=consent,
    )
    return Person.objects.get(pk=person.pk)


def _every_text_in_the_database() -> str:
    """Every value of every row of every table, as text, lower-cased."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts).lower()


def _every_text_in_the_private_files() -> str:
    texts = []
    for path in Path(settings.STORAGES["private"]["OPTIONS"]["location"]).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if zipfile.is_zipfile(io.BytesIO(data)):
                with zipfile.ZipFile(io.BytesIO(data)) as zipped:
                    data = b"".join(zipped.read(name) for name in zipped.namelist())
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts).lower()


def _counts(organisation):
    counts = _registry_counts(organisation.pk)
    by_sex = dict(
        Person.objects.filter(organisation=organisation)
        .values_list("sex")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return counts, by_sex


def test_an_erased_person_leaves_no_value_anywhere_and_every_count_stays(
    yaroslava, alice, admin_a, org_a, login, run_jobs, make_person
):
    make_person(alice, given_name="Olena", family_name="Bondarenko", country_of_origin="UA")
    client = login(alice)
    # Searched for by name, typed live and not, then exported to a spreadsheet.
    for text in ["Shev", "Shevchukevych"]:
        client.get("/app/persons/", {"q": text}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    client.get("/app/persons/", {"q": "Ярослава"})
    client.get(f"/app/persons/{yaroslava.pk}/")
    with run_jobs.queued():
        persons_export_start(member=alice, query=PersonQuery(text="Shevchukevych"))
        export_start(member=admin_a, person=yaroslava)
    run_jobs.run()
    assert "shevchukevych" in _every_text_in_the_private_files()
    keys = set(PersonSearchKey.objects.filter(person=yaroslava).values_list("key", flat=True))
    entries_before = set(AuditEntry.objects.values_list("pk", flat=True))
    counts_before = _counts(org_a)

    person_erase(member=admin_a, person=yaroslava)

    everything = _every_text_in_the_database()
    files = _every_text_in_the_private_files()
    for value in VALUES:
        assert value.lower() not in everything, value
        assert value.lower() not in files, value
    # The search index and the vocabulary of misspellings hold none of her keys.
    assert not PersonSearchKey.objects.filter(person=yaroslava).exists()
    assert not SearchVariant.objects.filter(organisation=org_a, key__in=keys).exists()
    # The audit trail: every entry still there (and one more, the erasure's own), and none
    # of them opens to reveal her any more.
    entries_after = set(AuditEntry.objects.values_list("pk", flat=True))
    assert entries_before <= entries_after and len(entries_after) == len(entries_before) + 1
    opened = open_entries(AuditEntry.objects.all())
    readable = str([values for values in opened.values() if values]).lower()
    for value in VALUES:
        assert value.lower() not in readable, value
    # Counts by age group, sex, country and status do not move.
    assert _counts(org_a) == counts_before
    # Every grant ended; the other organisation sees nothing.
    assert not AccessGrant.objects.filter(person=yaroslava, revoked_at__isnull=True).exists()
    if connection.vendor == "sqlite":
        # Not even in the database file's freed pages and cells (secure_delete).
        image = connection.connection.serialize()
        for value in VALUES:
            assert value.encode() not in image, value
            assert value.lower().encode() not in image, value


def test_the_erased_record_keeps_only_what_the_counts_need(yaroslava, admin_a):
    erased = person_erase(member=admin_a, person=yaroslava)
    assert erased.erased_at is not None
    assert (erased.birth_year, erased.sex, str(erased.country_of_origin)) == (1991, "F", "UA")
    assert erased.birth_date is None and erased.phone == "" and erased.email == ""
    assert erased.display_name == "Erased person"
    assert not erased.aliases.exists() and not erased.vulnerabilities.exists()


def test_nobody_finds_or_opens_an_erased_person(yaroslava, admin_a, alice, login):
    person_erase(member=admin_a, person=yaroslava)
    client = login(alice)
    assert client.get(f"/app/persons/{yaroslava.pk}/").status_code == 404
    assert "Yaroslava" not in client.get("/app/persons/").content.decode()


def test_a_legal_hold_refuses_erasure_with_its_reason_until_it_ends(yaroslava, admin_a, api_as):
    legal_hold_set(
        member=admin_a,
        person=yaroslava,
        reason="Court case I 123/2026",
        until=datetime.date.today() + datetime.timedelta(days=30),
    )
    response = api_as(admin_a).post(f"/api/persons/{yaroslava.pk}/erasure/")
    assert response.status_code == 409
    assert response.json()["code"] == "legal_hold"
    assert "Court case I 123/2026" in response.json()["detail"]
    assert Person.objects.get(pk=yaroslava.pk).erased_at is None
    # Once the hold has ended, the erasure goes through.
    Person.objects.filter(pk=yaroslava.pk).update(
        legal_hold_until=datetime.date.today() - datetime.timedelta(days=1)
    )
    response = api_as(admin_a).post(f"/api/persons/{yaroslava.pk}/erasure/")
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=yaroslava.pk).erased_at is not None


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer"])
def test_only_the_data_protection_contact_erases(yaroslava, make_member, org_a, api_as, role):
    response = api_as(make_member(role, org_a)).post(f"/api/persons/{yaroslava.pk}/erasure/")
    assert response.status_code == 404
    assert Person.objects.get(pk=yaroslava.pk).erased_at is None


def test_another_organisations_contact_cannot_erase(yaroslava, make_member, org_b, api_as):
    response = api_as(make_member("admin", org_b)).post(f"/api/persons/{yaroslava.pk}/erasure/")
    assert response.status_code == 404


def test_a_second_erasure_is_refused_clearly(yaroslava, admin_a, api_as):
    client = api_as(admin_a)
    assert client.post(f"/api/persons/{yaroslava.pk}/erasure/").status_code == 200
    second = client.post(f"/api/persons/{yaroslava.pk}/erasure/")
    assert second.status_code == 409
    assert second.json()["code"] == "erased"


def test_a_backup_restored_after_an_erasure_is_erased_again_from_the_ledger(
    yaroslava, admin_a, django_capture_on_commit_callbacks
):
    """A backup made before the erasure brings the person and their audit key back; the
    ledger, kept outside the database, erases them again."""
    from most.audit.models import AuditKey
    from most.privacy.services import erasures_replay

    backup_person = Person.objects.filter(pk=yaroslava.pk).values().get()
    backup_key = AuditKey.objects.filter(subject=f"person:{yaroslava.pk}").values().get()
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(member=admin_a, person=yaroslava)
    # The restore: the row and the key as the backup held them.
    Person.objects.filter(pk=yaroslava.pk).update(**backup_person)
    AuditKey.objects.create(**backup_key)
    created = AuditEntry.objects.filter(action="create", object_type="people.person").get(
        person_id=yaroslava.pk
    )
    assert open_entries([created])[created.pk] is not None  # readable again, for now

    assert erasures_replay() == 1

    restored = Person.objects.get(pk=yaroslava.pk)
    assert restored.erased_at is not None and restored.given_name == ""
    assert open_entries([created])[created.pk] is None
    assert erasures_replay() == 0  # nothing left to do
