from django import template
from django.utils.translation import gettext as _

from most.programmes.models import EnrolmentStatus

register = template.Library()

# What the choice says for each status an enrolment can move to.
MOVE_LABELS = {
    EnrolmentStatus.ACTIVE: lambda: _("Give a place / resume"),
    EnrolmentStatus.PAUSED: lambda: _("Pause"),
    EnrolmentStatus.COMPLETED: lambda: _("Completed"),
    EnrolmentStatus.DROPPED_OUT: lambda: _("Dropped out"),
}


@register.filter
def moves(enrolment, transitions):
    """The moves open to the enrolment, as (value, label): the next phase first."""
    options = []
    if enrolment.status == EnrolmentStatus.ACTIVE:
        options.append(("next_phase", _("Next phase")))
    for status in EnrolmentStatus:
        if status in transitions[EnrolmentStatus(enrolment.status)]:
            options.append((status.value, MOVE_LABELS[status]()))
    return options
