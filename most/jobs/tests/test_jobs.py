"""Background jobs: an export started from the person list, its progress page and its file."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from most.jobs.models import Job, JobState
from most.jobs.schedule import PERIODIC, schedule_all, weekly
from most.jobs.services import jobs_expire


@pytest.fixture
def exported(login, alice, make_person, run_jobs):
    """alice exports the persons named Hodžić as XLSX; the worker runs the job."""
    make_person(alice, given_name="Amra", family_name="Hodžić", country_of_origin="BA")
    make_person(alice, given_name="=HYPERLINK(1)", family_name="Hodžić")
    make_person(alice, given_name="Олена", family_name="Коваленко", country_of_origin="UA")
    client = login(alice)
    with run_jobs.queued():
        response = client.post("/app/persons/export.xlsx", {"q": "Hodžić"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/app/jobs/{job.pk}/"
    assert job.state == JobState.QUEUED
    run_jobs.run()
    job.refresh_from_db()
    return client, job


def test_the_export_runs_in_the_background_and_holds_what_the_search_found(exported):
    client, job = exported
    assert (job.state, job.done, job.total) == (JobState.DONE, 2, 2)
    page = client.get(f"/app/jobs/{job.pk}/").content.decode()
    assert "Download persons-" in page
    response = client.get(f"/app/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="persons-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "given_name", "family_name")
    assert sorted(row[1] for row in rows[1:]) == ["=HYPERLINK(1)", "Amra"]
    # A name that looks like a formula stays text.
    assert {cell.data_type for cell in sheet["B"]} == {"s"}


def test_the_progress_page_polls_until_the_job_has_finished(login, alice, run_jobs):
    client = login(alice)
    with run_jobs.queued():
        client.post("/app/persons/export.xlsx", {"q": ""})
    job = Job.objects.get()
    waiting = client.get(
        f"/app/jobs/{job.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-status"
    )
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert "<html" not in waiting.content.decode()  # only the fragment
    run_jobs.run()
    done = client.get(f"/app/jobs/{job.pk}/").content.decode()
    assert "every 1s" not in done


def test_nobody_else_sees_the_job_or_its_file(exported, login, make_member, org_a, charlie):
    _client, job = exported
    colleague = login(make_member("counsellor", org_a))
    assert colleague.get(f"/app/jobs/{job.pk}/").status_code == 404
    assert colleague.get(f"/app/jobs/{job.pk}/download/").status_code == 404
    outsider = login(charlie)
    assert outsider.get(f"/app/jobs/{job.pk}/download/").status_code == 404


def test_a_member_who_lost_the_right_to_export_gets_nothing(login, alice, run_jobs):
    client = login(alice)
    with run_jobs.queued():
        client.post("/app/persons/export.xlsx", {"q": ""})
    alice.role = "viewer"
    alice.save()
    run_jobs.run()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and not job.result_file
    assert "no longer export" in job.message


def test_a_viewer_cannot_start_an_export(login, bob):
    assert login(bob).post("/app/persons/export.xlsx", {"q": ""}).status_code == 404
    assert not Job.objects.exists()


def test_files_are_deleted_a_day_after_the_job(exported):
    from django.core.files.storage import storages

    client, job = exported
    assert storages["private"].exists(job.result_file)
    assert jobs_expire(timezone.now() + datetime.timedelta(hours=23)) == 0
    jobs_expire(timezone.now() + datetime.timedelta(hours=25))
    assert not storages["private"].exists(job.result_file)
    assert client.get(f"/app/jobs/{job.pk}/download/").status_code == 404


def test_every_periodic_task_has_exactly_one_run_waiting(db):
    from django_tasks_db.models import DBTaskResult

    schedule_all()
    schedule_all()  # a second worker start adds nothing
    waiting = DBTaskResult.objects.filter(status="READY")
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(PERIODIC)
    assert "most.people.tasks.send_ending_soon_reminders" in PERIODIC
    assert all(result.run_after > timezone.now() for result in waiting)


def test_weekly_runs_are_on_the_next_monday_morning_local_time():
    next_run = weekly(weekday=0, hour=7)
    tuesday = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    assert next_run(tuesday).isoformat() == "2026-12-07T07:00:00+01:00"
    monday_early = datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)  # 06:00 local
    assert next_run(monday_early).isoformat() == "2026-12-07T07:00:00+01:00"
    monday_late = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=datetime.UTC)
    assert next_run(monday_late).isoformat() == "2026-12-14T07:00:00+01:00"
