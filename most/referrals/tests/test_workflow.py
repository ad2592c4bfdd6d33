"""The referral's life: sending with consent, answering, the grant it creates and ends, every
transition allowed and refused by every role of either side, conflicts, reminders."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from most.accounts.models import Role
from most.lib.errors import Conflict, NotAllowed
from most.people import policy as people_policy
from most.people import services as people
from most.people.models import AccessGrant
from most.referrals import policy, services
from most.referrals.models import Event, Notification, Referral, State
from most.referrals.workflow import TRANSITIONS, Side

LJUBLJANA = zoneinfo.ZoneInfo("Europe/Ljubljana")
MANAGERS = {"admin", "coordinator", "caseworker", "counsellor"}


def _fields_seen(member, person):
    return people_policy.person_fields_visible_to(member, person)


def test_a_referral_is_sent_with_a_valid_consent_and_waits_for_the_answer(referral_world, refer):
    referral = refer()
    assert referral.state == State.SENT
    assert referral.consent == referral_world["consent"]
    assert referral.receiver == referral_world["service"].organization.owner
    # Three working days from now, at the same time of day.
    assert (referral.due_at - referral.sent_at).days >= 3
    assert [e.action for e in referral.events.all()] == ["create", "send"]
    # Nothing is shared before the receiver accepts.
    assert not AccessGrant.objects.filter(person=referral.person).exists()
    receiver = referral_world["receiver"]
    assert referral.person not in people_policy.persons_visible_to(receiver)
    assert Notification.objects.filter(user=receiver.user, kind="send").count() == 1


def test_without_consent_nothing_is_sent_and_the_reason_is_given(
    referral_world, refer, make_person
):
    person = make_person(referral_world["sender"], given_name="Lejla", family_name="Begić")
    with pytest.raises(ValidationError) as error:
        refer(person=person)
    assert "has not consented" in str(error.value.message_dict["consent"])
    assert not Referral.objects.filter(person=person).exists()


def test_a_consent_given_now_is_recorded_with_the_referral(referral_world, make_person):
    world = referral_world
    person = make_person(world["sender"], given_name="Lejla", family_name="Begić")
    referral = services.referral_create(
        member=world["sender"],
        person=person,
        data={"service": world["service"], "reason": "Pravna pomoč."},
        consent={"given_on": datetime.date.today(), "evidence": "signed"},
    )
    assert referral.state == State.SENT
    assert referral.consent.recipient == world["receiver"].organisation
    assert referral.consent.purpose == "sharing"


def test_a_consent_for_another_organisation_does_not_cover_this_one(
    referral_world, refer, make_person, make_org, sharing_consent
):
    person = make_person(referral_world["sender"], given_name="Lejla", family_name="Begić")
    sharing_consent(referral_world["sender"], person, recipient=make_org("Center za socialno delo"))
    with pytest.raises(ValidationError):
        refer(person=person)


def test_withdrawn_and_expired_consents_do_not_count(referral_world, refer):
    consent = referral_world["consent"]
    people.consent_withdraw(member=referral_world["sender"], consent=consent)
    with pytest.raises(ValidationError):
        refer()


def test_acceptance_shares_exactly_the_fields_of_the_referral(referral_world, refer):
    referral = refer(fields=["phone"])
    receiver, person = referral_world["receiver"], referral_world["person"]
    services.referral_transition(
        member=receiver, referral=referral, name="accept", version=referral.version
    )
    assert referral.state == State.ACCEPTED and referral.handled_by == receiver.user
    assert _fields_seen(receiver, person) == {
        "given_name",
        "family_name",
        "given_name_latin",
        "family_name_latin",
        "phone",
    }
    assert referral.grant.consent == referral_world["consent"]


def test_completing_ends_the_access_at_once_and_the_sender_sees_the_feedback(referral_world, refer):
    referral = refer()
    receiver, person = referral_world["receiver"], referral_world["person"]
    services.referral_transition(
        member=receiver, referral=referral, name="accept", version=referral.version
    )
    services.referral_transition(
        member=receiver, referral=referral, name="start", version=referral.version
    )
    services.referral_transition(
        member=receiver,
        referral=referral,
        name="complete",
        version=referral.version,
        note="Pridobila je pravni nasvet; vloga je oddana.",
    )
    assert person not in people_policy.persons_visible_to(receiver)
    referral.refresh_from_db()
    assert referral.state == State.COMPLETED and referral.ended_at
    assert referral.feedback == "Pridobila je pravni nasvet; vloga je oddana."
    kinds = Notification.objects.filter(user=referral_world["sender"].user).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == ["accept", "complete", "start"]


def test_withdrawing_the_consent_ends_the_receivers_access_at_once(referral_world, refer):
    referral = refer()
    receiver, person = referral_world["receiver"], referral_world["person"]
    services.referral_transition(
        member=receiver, referral=referral, name="accept", version=referral.version
    )
    assert person in people_policy.persons_visible_to(receiver)
    people.consent_withdraw(member=referral_world["sender"], consent=referral_world["consent"])
    assert person not in people_policy.persons_visible_to(receiver)


def test_an_expired_consent_ends_the_access_and_prevents_acceptance(
    referral_world, refer, make_person, sharing_consent, time_machine
):
    world = referral_world
    person = make_person(world["sender"], given_name="Lejla", family_name="Begić")
    today = datetime.date.today()
    sharing_consent(world["sender"], person, expires_on=today + datetime.timedelta(days=1))
    accepted, waiting = refer(person=person), refer(person=person)
    services.referral_transition(
        member=world["receiver"], referral=accepted, name="accept", version=accepted.version
    )
    time_machine.move_to(today + datetime.timedelta(days=3))
    assert person not in people_policy.persons_visible_to(world["receiver"])
    with pytest.raises(ValidationError, match="withdrawn or has expired"):
        services.referral_transition(
            member=world["receiver"], referral=waiting, name="accept", version=waiting.version
        )
    assert Referral.objects.get(pk=waiting.pk).state == State.SENT


def test_a_decline_needs_a_reason_and_shares_nothing(referral_world, refer):
    referral = refer()
    receiver = referral_world["receiver"]
    with pytest.raises(ValidationError):
        services.referral_transition(
            member=receiver, referral=referral, name="decline", version=referral.version
        )
    services.referral_transition(
        member=receiver,
        referral=referral,
        name="decline",
        version=Referral.objects.get(pk=referral.pk).version,
        reason="no_capacity",
        note="Naslednji termin je šele marca.",
    )
    referral.refresh_from_db()
    assert referral.state == State.DECLINED and referral.decline_reason == "no_capacity"
    assert not AccessGrant.objects.filter(person=referral.person).exists()


def test_two_users_accepting_at_once_one_wins_the_other_gets_a_conflict(
    referral_world, refer, make_member
):
    referral = refer()
    first, second = referral_world["receiver"], make_member("counsellor", first_org(referral))
    read_by_second = Referral.objects.get(pk=referral.pk)
    services.referral_transition(
        member=first, referral=referral, name="accept", version=referral.version
    )
    with pytest.raises(Conflict):
        services.referral_transition(
            member=second, referral=read_by_second, name="accept", version=read_by_second.version
        )
    assert AccessGrant.objects.filter(person=referral.person).count() == 1
    assert Event.objects.filter(referral=referral, action="accept").count() == 1


def first_org(referral):
    return referral.receiver


def test_a_transition_from_the_wrong_state_is_refused_clearly(referral_world, refer):
    referral = refer()
    receiver = referral_world["receiver"]
    services.referral_transition(
        member=receiver, referral=referral, name="accept", version=referral.version
    )
    with pytest.raises(Conflict, match="accepted now"):
        services.referral_transition(
            member=receiver,
            referral=referral,
            name="decline",
            version=referral.version,
            reason="other",
        )
    with pytest.raises(Conflict):
        services.referral_transition(
            member=referral_world["sender"],
            referral=referral,
            name="withdraw",
            version=referral.version,
        )


def test_bad_referrals_are_refused_and_nothing_is_saved(referral_world, refer, make_service, org_a):
    world = referral_world
    own_service = make_service(org_a, name="Lastna storitev")
    inactive = make_service(world["receiver"].organisation, name="Zaprto", status="inactive")
    cases = [
        ({"service": own_service}, "receiver"),
        ({"service": None, "receiver": org_a}, "receiver"),
        ({"service": inactive}, "service"),
        ({"service": None}, "service"),
        ({"reason": "  "}, "reason"),
        ({"fields": ["vulnerabilities"]}, "fields"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"reason": "x" * 2001}, "reason"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as error:
            refer(**data)
        assert field in error.value.message_dict, data
    assert not Referral.objects.exists()


# --- Every transition × every role of each side -------------------------------------------


def _referral_in(state, world, refer):
    referral = refer(send=state != State.DRAFT)
    path = {
        State.DRAFT: [],
        State.SENT: [],
        State.ACCEPTED: ["accept"],
        State.IN_PROGRESS: ["accept", "start"],
        State.DECLINED: ["decline"],
        State.COMPLETED: ["accept", "complete"],
        State.CLOSED: ["accept", "close"],
        State.WITHDRAWN: ["withdraw"],
    }[state]
    for name in path:
        member = world["sender"] if TRANSITIONS[name].side == Side.SENDER else world["receiver"]
        _do(member, referral, name)
    return Referral.objects.get(pk=referral.pk)


def _do(member, referral, name):
    return services.referral_transition(
        member=member,
        referral=referral,
        name=name,
        version=referral.version,
        reason={"decline": "other", "close": "not_reached"}.get(name, ""),
        note="Opravljeno." if name == "complete" else "",
    )


class _Undo(Exception):
    pass


@pytest.mark.parametrize("state", list(State))
def test_every_transition_by_every_role_of_each_side(referral_world, refer, make_member, state):
    """From each state: every transition, by every role of the sending and of the receiving
    organisation; each try in a savepoint that is undone, so all start from the same referral."""
    world = referral_world
    referral = _referral_in(state, world, refer)
    members = {
        (side, role): make_member(role, world[side.value].organisation)
        for side in Side
        for role in (r.value for r in Role)
    }
    outcomes = {}
    for (side, role), member in members.items():
        for name, transition in TRANSITIONS.items():
            if name == "send":
                continue
            allowed = (
                role in MANAGERS
                and side == transition.side
                and state in transition.sources
                and not (side == Side.RECEIVER and state == State.DRAFT)
            )
            try:
                with transaction.atomic():
                    fresh = Referral.objects.get(pk=referral.pk)
                    try:
                        _do(member, fresh, name)
                        moved = Referral.objects.get(pk=referral.pk).state
                    except (NotAllowed, Conflict, ValidationError):
                        moved = None
                    raise _Undo
            except _Undo:
                pass
            expected = transition.target if allowed else None
            outcomes[(side, role, name)] = (moved, expected)
            assert Referral.objects.get(pk=referral.pk).state == state
    wrong = {case: got for case, got in outcomes.items() if got[0] != got[1]}
    assert wrong == {}
    assert len(outcomes) == 2 * len(Role) * (len(TRANSITIONS) - 1)


# --- Reminders and escalation ------------------------------------------------------------


def test_reminders_and_escalation_come_once_each_at_their_time(
    referral_world, refer, make_member, time_machine, django_capture_on_commit_callbacks
):
    world = referral_world
    org_b = world["receiver"].organisation
    org_b.email = "info@odprta-vrata.example"
    org_b.save()
    coordinator = make_member("coordinator", org_b)
    # Monday 9:00; the service answers within 3 working days: by Thursday 9:00.
    monday = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=LJUBLJANA)
    time_machine.move_to(monday, tick=False)
    referral = refer()
    assert referral.due_at == datetime.datetime(2030, 3, 7, 9, 0, tzinfo=LJUBLJANA)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(monday + datetime.timedelta(days=3)) == (0, 0)
        assert services.reminders_send(monday + datetime.timedelta(days=3, hours=1)) == (1, 0)
        assert services.reminders_send(monday + datetime.timedelta(days=4)) == (0, 0)
        # Twice the promised time: Sunday 9:00 (sent Monday, due Thursday).
        assert services.reminders_send(monday + datetime.timedelta(days=6, hours=1)) == (0, 1)
        assert services.reminders_send(monday + datetime.timedelta(days=9)) == (0, 0)
    reminded = Notification.objects.filter(kind="reminded").values_list("user", flat=True)
    assert set(reminded) == {world["receiver"].user_id, coordinator.user_id}
    escalated = Notification.objects.filter(kind="escalated").values_list("user", flat=True)
    assert list(escalated) == [coordinator.user_id]
    subjects = [(m.to, m.subject) for m in mail.outbox]
    assert (["info@odprta-vrata.example"], subjects[0][1]) == subjects[0]
    assert "waits for your answer" in subjects[0][1]
    assert subjects[1] == ([coordinator.user.email], subjects[1][1])
    assert "waited twice the promised time" in subjects[1][1]
    # No e-mail names the person.
    assert all("Hodžić" not in m.body and "Amra" not in m.body for m in mail.outbox)
    assert [e.action for e in referral.events.all()] == ["create", "send", "reminded", "escalated"]


def test_an_answered_referral_is_never_reminded(referral_world, refer, time_machine):
    referral = refer()
    _do(referral_world["receiver"], referral, "accept")
    later = referral.due_at + datetime.timedelta(days=30)
    assert services.reminders_send(later) == (0, 0)


def test_working_days_skip_weekends_and_public_holidays(referral_world, refer, time_machine):
    # Tuesday 24 December 2030: Christmas (Wed) and Independence Day (Thu) are holidays.
    time_machine.move_to(datetime.datetime(2030, 12, 24, 10, 0, tzinfo=LJUBLJANA), tick=False)
    referral = refer()
    # 3 working days: Fri 27, (the weekend), Mon 30, Tue 31 December.
    assert timezone.localtime(referral.due_at).date() == datetime.date(2030, 12, 31)


def test_a_withdrawn_draft_is_never_shown_to_the_receiver(referral_world, refer):
    draft = refer(send=False)
    _do(referral_world["sender"], draft, "withdraw")
    assert Referral.objects.get().state == State.WITHDRAWN
    assert not Notification.objects.exists()
    receiver = referral_world["receiver"]
    assert not policy.referrals_visible_to(receiver).exists()
    assert not policy.counted_for(receiver)[0].exists()


def test_a_mail_server_that_fails_loses_the_mail_not_the_referral(
    referral_world, refer, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer()
    assert Referral.objects.get(pk=referral.pk).state == State.SENT
    assert "was not sent" in caplog.text


def test_old_notices_go_and_the_steps_stay(referral_world, refer):
    referral = refer()
    assert services.notifications_forget(timezone.now()) == 0
    later = timezone.now() + services.NOTICES_KEPT + datetime.timedelta(days=1)
    assert services.notifications_forget(later) == 1
    assert referral.events.count() == 2
