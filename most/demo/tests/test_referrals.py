"""The demo's referrals: every state, some waiting past the promised response time (some of them
past twice it), each demo organisation with a login finding referrals in its inbox, and a
timeline that reads as months of work."""

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from most.accounts.models import Membership
from most.demo.generator import demo_logins, seed_demo
from most.people.models import AccessGrant
from most.referrals import policy, selectors
from most.referrals.models import Event, Notification, Referral, State
from most.referrals.selectors import Filters


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo as `most demo` loads it, once for this module, rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        seed_demo()
        yield
        transaction.set_rollback(True)


def _login_members():
    """Every membership of the printed logins (the coordinator's second organisation too)."""
    emails = [email for email, _role, _organisation in demo_logins()]
    return list(
        Membership.objects.filter(user__email__in=emails, is_active=True).select_related(
            "user", "organisation"
        )
    )


def test_the_demo_has_referrals_in_every_state(demo, db):
    states = set(Referral.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Referral.objects.count() >= 40
    for referral in Referral.objects.filter(state=State.DECLINED):
        assert referral.decline_reason and referral.feedback
    for referral in Referral.objects.filter(state=State.CLOSED):
        assert referral.close_reason and referral.feedback
    assert not Referral.objects.filter(state=State.COMPLETED, feedback="").exists()
    assert len(set(Referral.objects.exclude(decline_reason="").values_list("decline_reason"))) > 3


def test_some_referrals_wait_past_the_promised_response_time(demo, db):
    waiting = list(Referral.objects.filter(state=State.SENT))
    overdue = [r for r in waiting if r.is_overdue]
    assert len(overdue) >= 3
    assert len(overdue) < len(waiting)  # some still within the time
    # The reminders were sent, and those waiting twice as long went to the coordinators.
    assert all(r.reminded_at for r in overdue)
    escalated = [r for r in overdue if r.escalated_at]
    assert escalated
    assert all(r.sent_at + 2 * (r.due_at - r.sent_at) < r.escalated_at for r in escalated)
    assert Notification.objects.filter(kind="escalated").exists()
    assert Event.objects.filter(action="reminded", referral__in=overdue).count() == len(overdue)


def test_every_demo_organisation_with_a_login_has_received_referrals(demo, db):
    members = [m for m in _login_members() if policy.can_view_referrals(m)]
    organisations = {m.organisation for m in members}
    assert {name for _e, _r, name in demo_logins()} <= {o.name for o in organisations}
    for organisation in organisations:
        member = next(m for m in members if m.organisation == organisation)
        assert selectors.inbox(member, Filters(view="all")).exists(), organisation
    # The printed logins' organisations also sent referrals, and the logins have unread notices.
    for name in {name for _e, _r, name in demo_logins()}:
        member = next(m for m in members if m.organisation.name == name)
        assert selectors.outbox(member, Filters(view="all")).exists(), name
        assert selectors.inbox(member, Filters(view="new")).exists(), name
    assert any(selectors.unread_notices(m) for m in members)
    assert all(selectors.unread_notices(m) < 15 for m in members)


def test_the_timeline_is_in_the_past_and_in_order(demo, db):
    now = timezone.now()
    for referral in Referral.objects.select_related("consent", "grant"):
        moments = [
            referral.created_at,
            referral.sent_at,
            referral.answered_at,
            referral.started_at,
            referral.ended_at,
        ]
        moments = [moment for moment in moments if moment]
        assert moments == sorted(moments), referral.pk
        assert moments[-1] < now
        events = list(referral.events.order_by("at", "pk"))
        assert events[0].action == "create" and events[-1].state == referral.state
        assert all(event.at < now for event in events)
        if referral.sent_at:
            assert referral.due_at > referral.sent_at
            # Sent on the person's consent to sharing with the receiver, given by then.
            consent = referral.consent
            assert consent.given_on <= timezone.localtime(referral.sent_at).date()
            assert consent.recipient_id in (None, referral.receiver_id)
        if referral.state in (State.ACCEPTED, State.IN_PROGRESS):
            assert referral.grant.revoked_at is None
        if referral.state in (State.COMPLETED, State.CLOSED):
            assert referral.grant.revoked_at == referral.ended_at
    # Months of work, not one day: answers spread over at least three months.
    months = {
        (moment.year, moment.month)
        for moment in Referral.objects.exclude(answered_at=None).values_list(
            "answered_at", flat=True
        )
    }
    assert len(months) >= 3
    assert not Notification.objects.filter(created_at__gt=now).exists()


def test_a_demo_loaded_before_referrals_gets_them_once(demo, db):
    Referral.objects.all().delete()
    AccessGrant.objects.filter(reason="referral").delete()

    assert seed_demo() == 0  # the persons are there: nothing new is registered
    count = Referral.objects.count()
    assert set(Referral.objects.values_list("state", flat=True)) == set(State.values)

    seed_demo()
    assert Referral.objects.count() == count
