"""The personal data the referrals app holds, for the data subject's export and erasure.

Erasure keeps what the response-time figures count (organisations, service, states, dates,
reasons chosen from a list) and removes every text written about the person; the grant a
referral created ends with the person's other grants (people.personal_data).
"""

from django.utils.translation import gettext_lazy as _

from most.audit.personal_data import register

from .models import Event, Referral

PURPOSE = _("Referring the person to another organisation's service, with their consent")
LEGAL_BASIS = _("Consent to sharing (GDPR Art. 6(1)(a), 9(2)(a))")
RETENTION = _("While the person is supported, then until erasure is asked for or due")


def referrals_erase(person):
    Referral.objects.filter(person=person).update(reason="–", note="", feedback="")
    Event.objects.filter(referral__person=person).update(note="")
    return []


def register_referrals():
    common = {"purpose": PURPOSE, "legal_basis": LEGAL_BASIS, "retention": RETENTION}
    register(
        Referral,
        person="person",
        categories=_(
            "Referrals: to which organisation and service, why, how urgent, which data were "
            "shared, the answer and the feedback"
        ),
        recipients=_("The organisation the person is referred to"),
        erase=referrals_erase,
        exclude=("version",),
        **common,
    )
    register(
        Event,
        person="referral__person",
        categories=_("The steps of each referral, with the notes written at each"),
        **common,
    )
