"""The response-time figures: what they count, small groups hidden, the exports."""

import csv
import datetime
import io

from openpyxl import load_workbook

from most.referrals import services
from most.referrals.models import Referral


def _answer(referral, receiver, name, **kwargs):
    return services.referral_transition(
        member=receiver, referral=referral, name=name, version=referral.version, **kwargs
    )


def _ago(referral, days, answered_after=None):
    """Sent `days` ago; answered `answered_after` days after sending."""
    sent = referral.sent_at - datetime.timedelta(days=days)
    values = {"sent_at": sent}
    if answered_after is not None:
        values["answered_at"] = sent + datetime.timedelta(days=answered_after)
    Referral.objects.filter(pk=referral.pk).update(**values)


def test_the_figures_count_times_and_declines_and_hide_small_groups(
    referral_world, refer, make_member, make_service, login
):
    world = referral_world
    receiver = world["receiver"]
    for n in range(6):
        referral = refer()
        if n < 4:
            _answer(referral, receiver, "accept")
            _ago(referral, 10, answered_after=n + 1)  # 1, 2, 3, 4 days: mean 2.5
        else:
            _answer(referral, receiver, "decline", reason="no_capacity")
            _ago(referral, 10, answered_after=1)
    small = make_service(receiver.organisation, name="Tečaj slovenščine")
    for _n in range(2):
        refer(service=small)
    coordinator = make_member("coordinator", receiver.organisation)
    client = login(coordinator)
    page = client.get("/app/referrals/figures/").content.decode()
    assert "Brezplačna pravna pomoč" in page and "Tečaj slovenščine" in page
    assert ">2.5<" in page or ">2,5<" in page
    assert "fewer than 5" in page  # the course's 2 referrals, and the declines by reason
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get("/app/referrals/figures/export.csv").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    legal = next(row for row in rows if row[1] == "Brezplačna pravna pomoč")
    assert legal[2:6] == ["6", "4", "2", "33"]
    assert legal[7] == "2.5"
    course = next(row for row in rows if row[1] == "Tečaj slovenščine")
    assert set(course[2:]) == {"<5"}
    workbook = load_workbook(
        io.BytesIO(client.get("/app/referrals/figures/export.xlsx").content), read_only=True
    )
    cells = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert cells[1][:3] == ["Received, by service", "Brezplačna pravna pomoč", 6]
    # The sender sees how its referrals were answered, by receiving organisation.
    sender_page = login(make_member("admin", world["sender"].organisation)).get(
        "/app/referrals/figures/"
    )
    assert "Zavod Odprta vrata" in sender_page.content.decode()


def test_the_figures_are_for_coordinators_administrators_and_analysts(
    referral_world, make_member, login
):
    organisation = referral_world["receiver"].organisation
    for role, status in [("analyst", 200), ("coordinator", 200), ("caseworker", 404)]:
        client = login(make_member(role, organisation))
        assert client.get("/app/referrals/figures/").status_code == status
    assert client.get("/app/referrals/figures/export.pdf").status_code == 404


def test_the_api_gives_the_same_figures(referral_world, refer, make_member, api_as):
    receiver = referral_world["receiver"]
    for _n in range(5):
        referral = refer()
        _answer(referral, receiver, "decline", reason="no_capacity")
    api = api_as(make_member("analyst", receiver.organisation))
    data = api.get("/api/referrals/figures/?months=3").json()
    assert (data["received"], data["sent"]) == (5, 0)
    (row,) = data["received_by_service"]
    assert (row["label"], row["sent"], row["declined"], row["declined_share"]) == (
        "Brezplačna pravna pomoč",
        5,
        5,
        100,
    )
    assert data["received_declined_by_reason"] == [
        {"label": "No free places at the moment", "count": 5}
    ]
    assert api.get("/api/referrals/figures/?months=7").status_code == 400
