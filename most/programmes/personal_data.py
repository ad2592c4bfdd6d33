"""The personal data the programmes app holds, for the data subject's export and erasure.

Erasure keeps an erased person's enrolments for the programme's counts (who took part, who
completed, who dropped out and why), and removes the free-text note that could name them.
"""

from django.utils.translation import gettext_lazy as _

from most.audit.personal_data import register

from .models import Activity, Attendance, Enrolment, EnrolmentPhase

PURPOSE = _("Running the organisation's programmes and reporting on them to funders")
LEGAL_BASIS = _("Consent (GDPR Art. 6(1)(a)); a task in the public interest (Art. 6(1)(e))")
RETENTION = _("While the person is supported, then until erasure is asked for or due")


def enrolment_erase(person):
    Enrolment.objects.filter(person=person).update(note="")
    # An individual activity's title may name its participant.
    Activity.objects.filter(enrolment__person=person).update(title="–", place="")
    return []


def register_programmes():
    common = {"purpose": PURPOSE, "legal_basis": LEGAL_BASIS, "retention": RETENTION}
    register(
        Enrolment,
        person="person",
        categories=_("Programmes applied for and taken part in: status, dates, phase, reason"),
        erase=enrolment_erase,
        exclude=("version",),
        **common,
    )
    register(
        EnrolmentPhase,
        person="enrolment__person",
        categories=_("The phases of a programme a person went through, with dates"),
        **common,
    )
    register(
        Attendance,
        person="enrolment__person",
        categories=_("Attendance at the sessions of a programme's activities"),
        **common,
    )
    register(
        Activity,
        person="enrolment__person",
        categories=_("Individual help planned for one participant"),
        fields=("kind", "title", "place"),
        **common,
    )
