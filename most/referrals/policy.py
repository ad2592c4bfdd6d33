"""Who may see referrals and move them on.

A referral is seen by the two organisations it joins: the sender, which keeps the person's
record, and the receiver. The receiver sees the referral (service, reason, urgency, note, which
fields will be shared) from the moment it is sent, and the person's shared fields only through
the access grant that acceptance creates (people.policy): never more than the referral names.
Each transition is made by members of its side (workflow.py) who may work with referrals.
"""

from most.accounts.policy import Action, can
from most.people import policy as people_policy

from .models import Notification, Referral, State
from .workflow import TRANSITIONS, Side


def can_view_referrals(member) -> bool:
    return can(member, Action.REFERRAL_VIEW)


def can_send_referrals(member) -> bool:
    return can(member, Action.REFERRAL_MANAGE)


def can_view_figures(member) -> bool:
    return can(member, Action.STATISTICS_VIEW)


def referrals_visible_to(member):
    """The referrals the member's organisation sent (drafts included) or received (sent on)."""
    if not can_view_referrals(member):
        return Referral.objects.none()
    return outbox_of(member) | inbox_of(member)


def _received(organisation_id):
    # The receiver's only once sent: a draft, even one withdrawn unsent, is the sender's alone.
    return Referral.objects.filter(receiver=organisation_id, sent_at__isnull=False)


def inbox_of(member):
    if not can_view_referrals(member):
        return Referral.objects.none()
    return _received(member.organisation_id)


def outbox_of(member):
    if not can_view_referrals(member):
        return Referral.objects.none()
    return Referral.objects.filter(sender=member.organisation_id)


def side_of(member, referral) -> Side | None:
    if referral.sender_id == member.organisation_id:
        return Side.SENDER
    if referral.receiver_id == member.organisation_id and referral.sent_at is not None:
        return Side.RECEIVER
    return None


def can_refer(member, person) -> bool:
    """May the member refer this person (their organisation's own record, in use)?"""
    return can(member, Action.REFERRAL_MANAGE) and people_policy.can_share_person(member, person)


def can_transition(member, referral, name) -> bool:
    """May the member make this transition now (their side, their role, the referral's state)?"""
    transition = TRANSITIONS.get(name)
    if transition is None or referral.state not in transition.sources:
        return False
    if not can(member, Action.REFERRAL_MANAGE) or side_of(member, referral) != transition.side:
        return False
    if transition.side == Side.SENDER:
        # The sender's record must still be theirs to share (not erased, not restricted).
        return people_policy.can_share_person(member, referral.person)
    return True


def allowed_transitions(member, referral):
    return [t for t in TRANSITIONS.values() if can_transition(member, referral, t.name)]


def can_edit_draft(member, referral) -> bool:
    return referral.state == State.DRAFT and can_transition(member, referral, "send")


def can_print_letter(member, referral) -> bool:
    """The letter the person takes along: for the sender, who keeps the person's record."""
    return (
        side_of(member, referral) == Side.SENDER
        and can(member, Action.REFERRAL_MANAGE)
        and people_policy.is_in_use(referral.person)
    )


def notifications_of(member):
    return Notification.objects.filter(user=member.user_id, organisation=member.organisation_id)


def can_export_referrals(member) -> bool:
    return can_view_referrals(member) and can(member, Action.PERSON_EXPORT)


def counted_for(member):
    """(received, sent): the organisation's referrals its figures count (aggregates only, for
    those who see figures, analysts included)."""
    if not can_view_figures(member):
        return Referral.objects.none(), Referral.objects.none()
    organisation = member.organisation_id
    sent = Referral.objects.filter(sender=organisation, sent_at__isnull=False)
    return _received(organisation), sent
