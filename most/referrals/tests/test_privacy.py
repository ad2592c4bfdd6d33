"""A referral in the person's timeline, export and erasure."""

from most.audit.personal_data import unregistered_models
from most.people.models import AccessGrant
from most.people.timeline import timeline_page
from most.privacy import services as privacy
from most.referrals import services
from most.referrals.models import Event, Referral


def test_every_step_shows_in_the_senders_timeline_only(referral_world, refer):
    world = referral_world
    referral = refer()
    services.referral_transition(
        member=world["receiver"], referral=referral, name="accept", version=referral.version
    )
    texts = [e.text for e in timeline_page(world["sender"], world["person"]).object_list]
    assert "Referred to Zavod Odprta vrata" in texts
    assert "Referral accepted by Zavod Odprta vrata" in texts
    # The receiver keeps no timeline of another organisation's person.
    assert timeline_page(world["receiver"], world["person"]) is None


def test_referrals_are_registered_personal_data():
    assert not {"referrals.referral", "referrals.event"} & set(unregistered_models())


def test_erasure_removes_the_words_and_the_access_and_keeps_the_counts(
    referral_world, refer, make_member
):
    world = referral_world
    referral = refer(note="Pokliče naj dopoldne, ko so otroci v šoli.")
    services.referral_transition(
        member=world["receiver"], referral=referral, name="accept", version=referral.version
    )
    services.referral_transition(
        member=world["receiver"],
        referral=referral,
        name="complete",
        version=referral.version,
        note="Dobila je nasvet o podaljšanju.",
    )
    dpo = make_member("admin", world["sender"].organisation)
    privacy.person_erase(member=dpo, person=world["person"])
    referral = Referral.objects.get()
    assert (referral.reason, referral.note, referral.feedback) == ("–", "", "")
    assert referral.state == "completed" and referral.sent_at and referral.ended_at
    assert not Event.objects.exclude(note="").exists()
    assert not AccessGrant.objects.filter(revoked_at__isnull=True).exists()
