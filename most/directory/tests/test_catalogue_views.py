"""The staff's catalogue: an organisation keeps its own services current (edit, check,
translate), sees what has gone stale, and imports datasets in the background."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from most.directory import categories
from most.directory.models import Attribute, Organization, Schedule, Service
from most.jobs.models import Job, JobState

from .conftest import CIVIC_CENTRE, example_package

pytestmark = pytest.mark.django_db


def hours_rows(*rows):
    data = {"hours-TOTAL_FORMS": str(len(rows)), "hours-INITIAL_FORMS": "0"}
    for n, (days, opens, closes) in enumerate(rows):
        data[f"hours-{n}-days"] = days
        data[f"hours-{n}-opens"] = opens
        data[f"hours-{n}-closes"] = closes
    return data


def service_post(**changes):
    data = {
        "name": "Pravno svetovanje za priseljence",
        "category": "legal-aid",
        "status": "active",
        "description": "Pravnik svetuje o dovoljenjih.",
        "languages": ["sl", "ar"],
        "free": "on",
        "address_1": "Vegova ulica 5",
        "postal_code": "1000",
        "city": "Ljubljana",
        "latitude": "46.05",
        "longitude": "14.50",
        "wheelchair": "on",
        **hours_rows((["MO", "WE"], "09:00", "13:00"), ([], "", "")),
    }
    data.update(changes)
    return data


@pytest.fixture
def coordinator(make_member, org_a):
    return make_member("coordinator", org_a)


@pytest.fixture
def created(login, coordinator):
    client = login(coordinator)
    response = client.post("/app/catalogue/services/new/", service_post())
    service = Service.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/catalogue/services/{service.pk}/"
    return client, service


def test_a_coordinator_adds_a_service_that_the_finder_shows_at_once(created, client, org_a):
    _staff, service = created
    assert service.organization.owner == org_a
    assert service.assured_date == timezone.localdate()
    codes = set(
        Attribute.objects.filter(link_id=service.pk).values_list("taxonomy_term__code", flat=True)
    )
    assert codes == {"legal-aid", "free-of-charge"}
    assert sorted(service.languages.values_list("code", flat=True)) == ["ar", "sl"]
    (schedule,) = Schedule.objects.filter(service=service)
    assert (schedule.byday, schedule.opens_at) == ("MO,WE", datetime.time(9))
    client.logout()
    page = client.get(f"/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pravno svetovanje za priseljence" in page and "Vegova ulica 5" in page
    assert "Wheelchair access" in page
    found = client.get("/services/?category=legal-aid&language=ar&wheelchair=on")
    assert "Pravno svetovanje za priseljence" in found.content.decode()


def test_editing_keeps_the_form_and_changes_the_place_and_hours(created):
    client, service = created
    form = client.get(f"/app/catalogue/services/{service.pk}/").content.decode()
    assert 'value="Vegova ulica 5"' in form and 'value="09:00"' in form
    response = client.post(
        f"/app/catalogue/services/{service.pk}/",
        service_post(
            version=service.version,
            address_1="Tržaška cesta 2",
            free="",
            **hours_rows((["TU"], "14:00", "18:00")),
        ),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    place = service.service_at_locations.get().location.addresses.get()
    assert place.address_1 == "Tržaška cesta 2"
    assert list(Schedule.objects.filter(service=service).values_list("byday", flat=True)) == ["TU"]
    assert not Attribute.objects.filter(
        link_id=service.pk, taxonomy_term_id=categories.term_id("free-of-charge")
    ).exists()


def test_the_second_of_two_saves_is_refused(created):
    client, service = created
    first = service.version
    client.post(f"/app/catalogue/services/{service.pk}/", service_post(version=first))
    response = client.post(
        f"/app/catalogue/services/{service.pk}/", service_post(version=first, name="Changed")
    )
    assert response.status_code == 422
    assert "Somebody else saved this service" in response.content.decode()
    assert not Service.objects.filter(name="Changed").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minimum_age": "60", "maximum_age": "18"}, "maximum age is below"),
        ({"postal_code": ""}, "the street, the postcode and the town"),
        ({"longitude": ""}, "both coordinates"),
        ({"latitude": "123"}, "less than or equal to 90"),
        (hours_rows((["MO"], "09:00", "")), "the opening and the closing time"),
        (hours_rows((["MO"], "09:00", "09:00")), "cannot close when it opens"),
        ({"name": ""}, "This field is required"),
        ({"category": "astrology"}, "Select a valid choice"),
        ({"email": "not-an-address"}, "valid email"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(login, coordinator, changes, field):
    client = login(coordinator)
    response = client.post("/app/catalogue/services/new/", service_post(**changes))
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Service.objects.exists()


def test_stale_entries_are_listed_and_checked_again(created):
    client, service = created
    Service.objects.filter(pk=service.pk).update(
        assured_date=timezone.localdate() - datetime.timedelta(days=200)
    )
    page = client.get("/app/catalogue/?stale=1").content.decode()
    assert "1 entry was last checked more than six months ago" in page
    assert service.name in page
    client.post(f"/app/catalogue/services/{service.pk}/checked/")
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert "Nothing is stale." in client.get("/app/catalogue/?stale=1").content.decode()


def test_a_translation_reaches_the_public_page(created, client):
    staff, service = created
    response = staff.post(
        f"/app/catalogue/services/{service.pk}/translation/",
        {"language": "uk", "name": "Юридичні консультації", "description": "Юрист радить."},
    )
    assert response.status_code == 302
    page = client.get(f"/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Юридичні консультації" in page
    assert (
        staff.get(f"/app/catalogue/services/{service.pk}/translation/?language=xx").status_code
        == 404
    )


def test_another_organisations_service_is_not_found(created, login, make_member, org_b):
    _client, service = created
    other = login(make_member("coordinator", org_b))
    for url in ("", "translation/?language=en"):
        assert other.get(f"/app/catalogue/services/{service.pk}/{url}").status_code == 404
    assert other.post(f"/app/catalogue/services/{service.pk}/checked/").status_code == 404
    assert service.name not in other.get("/app/catalogue/").content.decode()


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("good", [True, False])
def test_an_import_runs_in_the_background_and_reports(login, coordinator, org_a, run_jobs, good):
    client = login(coordinator)
    files = example_package(**({"locations.csv": CIVIC_CENTRE} if good else {}))
    upload = SimpleUploadedFile("example.zip", _zip(files), content_type="application/zip")
    with run_jobs.queued():
        response = client.post("/app/catalogue/import/", {"dataset": upload})
    job = Job.objects.get(kind="catalogue-import")
    assert response["Location"] == f"/app/jobs/{job.pk}/"
    run_jobs.run()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.total > 20
    page = client.get(f"/app/jobs/{job.pk}/").content.decode()
    report = b"".join(client.get(f"/app/jobs/{job.pk}/download/").streaming_content).decode()
    if good:
        assert "The dataset was imported" in page
        assert "service,1" in report
        assert Organization.objects.get(name="Example Organization Inc.").owner == org_a
    else:
        assert "Nothing was imported" in page
        assert "location,line 2,latitude: between -90 and 90." in report
        assert not Service.objects.exists()


def test_a_dataset_too_large_is_refused_before_it_is_kept(login, coordinator, monkeypatch):
    from most.directory import staff_forms

    monkeypatch.setattr(staff_forms, "MAX_DATASET_MB", 0)
    upload = SimpleUploadedFile("big.json", b"[]", content_type="application/json")
    response = login(coordinator).post("/app/catalogue/import/", {"dataset": upload})
    assert response.status_code == 422
    assert "The file is too large" in response.content.decode()
    assert not Job.objects.exists()


def test_new_opening_hours_count_at_once_in_open_now(
    created, client, monkeypatch, django_capture_on_commit_callbacks
):
    from zoneinfo import ZoneInfo

    from most.directory import public_views

    staff, service = created  # open Mondays and Wednesdays 9–13
    tuesday = datetime.datetime(2026, 12, 1, 15, tzinfo=ZoneInfo("Europe/Ljubljana"))
    monkeypatch.setattr(public_views, "now", lambda: tuesday)
    assert service.name not in client.get("/services/?open=on").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/app/catalogue/services/{service.pk}/",
            service_post(version=service.version, **hours_rows((["TU"], "14:00", "18:00"))),
        )
    assert service.name in client.get("/services/?open=on").content.decode()
