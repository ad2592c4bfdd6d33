"""The referral's states and the one table of its transitions: from which states, to which,
and which side (the sending or the receiving organisation) makes it.

draft → sent → accepted | declined; accepted → in progress → completed | closed without result
(an accepted referral may also be completed or closed directly); the sender withdraws a draft or
a sent referral until it is accepted. Services (services.py) make the transitions and policy.py
says who may: nothing else changes a referral's state.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import ENDED, State


class Side(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[State, ...]
    target: State
    side: Side
    label: str
    # The receiver's access to the person starts (accept) or ends (complete, close).
    grants: bool = False
    ends_grant: bool = False
    # The moment the transition stamps, besides ended_at, which every end stamps.
    stamp: str = ""
    # The referral's field that keeps why (its choices are the reasons), and the message when
    # none of them is given.
    reason_field: str = ""
    reason_missing: str = ""
    # The words written with the transition are the receiver's feedback to the sender.
    feedback: bool = False
    feedback_required: bool = False

    @property
    def ends(self) -> bool:
        return self.target in ENDED


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("send", (State.DRAFT,), State.SENT, Side.SENDER, _("Send")),
        Transition(
            "withdraw", (State.DRAFT, State.SENT), State.WITHDRAWN, Side.SENDER, _("Withdraw")
        ),
        Transition(
            "accept",
            (State.SENT,),
            State.ACCEPTED,
            Side.RECEIVER,
            _("Accept"),
            grants=True,
            stamp="answered_at",
        ),
        Transition(
            "decline",
            (State.SENT,),
            State.DECLINED,
            Side.RECEIVER,
            _("Decline"),
            stamp="answered_at",
            reason_field="decline_reason",
            reason_missing=_("Say why you decline the referral."),
            feedback=True,
        ),
        Transition(
            "start",
            (State.ACCEPTED,),
            State.IN_PROGRESS,
            Side.RECEIVER,
            _("Start work"),
            stamp="started_at",
        ),
        Transition(
            "complete",
            (State.ACCEPTED, State.IN_PROGRESS),
            State.COMPLETED,
            Side.RECEIVER,
            _("Complete"),
            ends_grant=True,
            feedback=True,
            feedback_required=True,
        ),
        Transition(
            "close",
            (State.ACCEPTED, State.IN_PROGRESS),
            State.CLOSED,
            Side.RECEIVER,
            _("Close without result"),
            ends_grant=True,
            reason_field="close_reason",
            reason_missing=_("Say why the referral ends without result."),
            feedback=True,
        ),
    )
}
