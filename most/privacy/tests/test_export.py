"""The data subject's export: every registered record, JSON and PDF, audited, for the contact."""

import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from most.audit.models import AuditEntry
from most.audit.personal_data import holdings, unregistered_models
from most.jobs.models import Job
from most.people.services import consent_record
from most.privacy.services import export_start


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a, email="dpo@example.org")


@pytest.fixture
def family(make_person, alice):
    """A person whose names are in Cyrillic, with a relative whose name is in Arabic script."""
    import datetime

    from most.people.services import household_add_member, household_create

    olena = make_person(
        alice,
        given_name="Олена",
        family_name="Бондаренко",
        aliases=["Olena Bondarenko-Hassan"],
        languages=["uk", "ru"],
        vulnerabilities=["RCD.SINGLE_PARENT"],
        country_of_origin="UA",
    )
    household = household_create(member=alice, name="Bondarenko")
    household_add_member(member=alice, household=household, person=olena, relationship="head")
    consent_record(
        member=alice,
        person=olena,
        fields={
            "purpose": "registration",
            "given_on": datetime.date(2026, 2, 1),
            "evidence": "signed",
        },
    )
    return olena


def _export(client_or_member, person, run_jobs):
    with run_jobs.queued():
        job = export_start(member=client_or_member, person=person)
    run_jobs.run()
    job.refresh_from_db()
    return job


def _pdf_text(job):
    return subprocess.run(  # noqa: S603  (a fixed program, the test's own PDF)
        [shutil.which("pdftotext"), "-", "-"],
        input=_files(job)["pdf"],
        capture_output=True,
        check=True,
    ).stdout.decode()


# On CI the PDF tools are installed by `make test`, and a missing one fails the test.
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext") and os.environ.get("CI") != "true",
    reason="pdftotext (poppler-utils) missing",
)


def _files(job):
    from django.core.files.storage import storages

    with storages["private"].open(job.result_file, "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    return {name.rsplit(".", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_every_registered_kind_of_record(family, admin_a, run_jobs):
    job = _export(admin_a, family, run_jobs)
    assert job.state == "done", job.message
    data = json.loads(_files(job)["json"])
    listed = set(data["records"]) | set(data["derived"])
    assert listed == {holding.label for holding in holdings()}
    assert data["records"]["people.person"]["rows"][0]["given_name"] == "Олена"
    assert [row["name"] for row in data["records"]["people.personalias"]["rows"]] == [
        "Olena Bondarenko-Hassan"
    ]
    assert data["records"]["people.household"]["rows"][0]["name"] == "Bondarenko"
    assert data["records"]["people.consent"]["rows"][0]["purpose"] == "registration"
    assert data["derived"]["people.personsearchkey"]["count"] > 0
    # Who read and changed the record is the person's to know too.
    assert {row["action"] for row in data["records"]["audit.auditentry"]["rows"]} >= {
        "create",
        "export",
    }


@needs_pdftotext
def test_the_pdf_renders_cyrillic_and_arabic_names(make_person, alice, admin_a, run_jobs):
    person = make_person(
        alice,
        given_name="فاطمة",
        family_name="الحسن",
        given_name_latin="Fatima",
        family_name_latin="Al-Hassan",
        aliases=["Фатима Аль-Хасан"],
        country_of_origin="SY",
    )
    job = _export(admin_a, person, run_jobs)
    assert _files(job)["pdf"].startswith(b"%PDF")
    text = _pdf_text(job)
    assert "Фатима Аль-Хасан" in text
    # Arabic is extracted in logical or visual order depending on the viewer: its letters.
    assert "فاطمة" in text or "ةمطاف" in text
    assert "Al-Hassan" in text


@needs_pdftotext
def test_the_pdf_speaks_the_persons_language_where_most_does(make_person, alice, admin_a, run_jobs):
    english = make_person(alice, given_name="Amina", family_name="Yusuf", preferred_language="en")
    with translation.override("sl"):
        assert "Your data held by" in _pdf_text(_export(admin_a, english, run_jobs))
    # Most does not speak Ukrainian: the PDF is in the language the contact works in.
    ukrainian = make_person(alice, given_name="Олена", family_name="Бойко", preferred_language="uk")
    with translation.override("sl"):
        assert "Vaši podatki, ki jih hrani" in _pdf_text(_export(admin_a, ukrainian, run_jobs))


def test_the_export_and_its_download_are_audited(family, admin_a, run_jobs, login):
    job = _export(admin_a, family, run_jobs)
    assert AuditEntry.objects.filter(action="export", person_id=family.pk).exists()
    response = login(admin_a).get(f"/app/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action="export", object_type="jobs.job", object_id=str(job.pk)
    ).exists()


def test_the_api_starts_the_export_and_gives_the_file(family, admin_a, api_as, run_jobs):
    client = api_as(admin_a)
    with run_jobs.queued():
        response = client.post(f"/api/persons/{family.pk}/export/")
    assert response.status_code == 202, response.content
    run_jobs.run()
    status = client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert status["state"] == "done" and status["percent"] == 100
    download = client.get(status["download"])
    assert download.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(b"".join(download.streaming_content)))


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "counsellor", "viewer", "analyst"])
def test_only_the_data_protection_contact_exports(family, make_member, org_a, api_as, role):
    response = api_as(make_member(role, org_a)).post(f"/api/persons/{family.pk}/export/")
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_another_organisations_contact_cannot_export(family, make_member, org_b, api_as):
    response = api_as(make_member("admin", org_b)).post(f"/api/persons/{family.pk}/export/")
    assert response.status_code == 404


def test_every_model_about_a_person_is_registered():
    assert unregistered_models() == []


@isolate_apps("most.privacy")
def test_a_model_about_a_person_that_is_not_registered_is_found():
    class Note(models.Model):
        person = models.ForeignKey("people.Person", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return "note"

    class Unrelated(models.Model):
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return self.title

    assert unregistered_models([Note, Unrelated]) == ["privacy.note"]
