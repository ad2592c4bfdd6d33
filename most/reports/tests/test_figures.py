"""A programme's figures: the counts, small ones suppressed on the page and in the exports,
a fixed number of queries, and for the roles that may see statistics only."""

import datetime

import pytest
from openpyxl import load_workbook

from most.casework import services as casework
from most.programmes import activity_services, services
from most.programmes.models import Enrolment

TODAY = datetime.date.today()


@pytest.fixture
def running(coordinator, activation, make_woman):
    """Seven women took part: five still in the first phase, one completed with a job, one
    dropped out; a weekly group session with their attendance."""
    activation.capacity = 20
    activation.save()
    women = [make_woman(country_of_origin="AF") for _ in range(6)] + [
        make_woman(country_of_origin="SY")
    ]
    services.enrol(member=coordinator, programme=activation, persons=women)
    enrolments = list(Enrolment.objects.order_by("pk"))
    services.enrolment_move(member=coordinator, enrolment=enrolments[5], to="completed", version=1)
    casework.outcome_record(
        member=coordinator,
        person=enrolments[5].person,
        fields={"kind": "job", "achieved_on": TODAY, "employer_name": "Hotel Slon"},
    )
    services.enrolment_move(
        member=coordinator, enrolment=enrolments[6], to="dropped_out", reason="moved", version=1
    )
    activity = activity_services.activity_create(
        member=coordinator,
        programme=activation,
        fields={"kind": "group", "title": "Skupina", "area": activation.areas.first()},
        plan={"first_day": TODAY, "starts": datetime.time(0, 5), "ends": datetime.time(1)},
    )
    session = activity.sessions.get()
    activity_services.attendance_save(
        member=coordinator,
        session=session,
        presences={e.pk: ("present" if i < 4 else "absent") for i, e in enumerate(enrolments[:5])},
    )
    return activation


def test_the_dashboard_counts_and_suppresses(login, make_member, org_a, running):
    page = login(make_member("analyst", org_a)).get(f"/app/reports/programmes/{running.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "7 participants." in text
    assert "Fewer than 5 completed." in text
    # The one Syrian woman is "fewer than 5", and so are the six Afghan women: the total (7)
    # would otherwise give her count back.
    assert '<th scope="row">Syria</th><td>fewer than 5</td>' in text
    assert '<th scope="row">Afghanistan</th><td>fewer than 5</td>' in text
    assert '<th scope="row">Female</th><td>7</td>' in text
    assert "80" in text  # four of five present
    assert "<svg" in text and 'role="img"' in text


def test_the_exports_suppress_the_same_cells(login, coordinator, running):
    client = login(coordinator)
    response = client.get(f"/app/reports/programmes/{running.pk}/figures.csv")
    rows = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Participants,,7" in rows
    assert "of origin,Syria,<5" in rows and "of origin,Afghanistan,<5" in rows
    xlsx = client.get(f"/app/reports/programmes/{running.pk}/figures.xlsx")
    path = pytest.importorskip("pathlib").Path(__file__).parent / "_figures.xlsx"
    try:
        path.write_bytes(xlsx.content)
        values = [cell.value for row in load_workbook(path).active.iter_rows() for cell in row]
    finally:
        path.unlink(missing_ok=True)
    assert 7 in values and "<5" in values


def test_the_dashboard_reads_a_fixed_number_of_statements(
    login, coordinator, running, make_woman, django_assert_num_queries
):
    client = login(coordinator)
    url = f"/app/reports/programmes/{running.pk}/"
    client.get(url)
    with django_assert_num_queries(13) as first:
        client.get(url)
    services.enrol(member=coordinator, programme=running, persons=[make_woman() for _ in range(10)])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("role", ["caseworker", "counsellor", "viewer", "mediator"])
def test_who_may_not_see_figures_does_not(login, make_member, org_a, running, role):
    assert (
        login(make_member(role, org_a)).get(f"/app/reports/programmes/{running.pk}/").status_code
        == 404
    )
