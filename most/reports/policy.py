"""Who sees the figures: those of the role × action table who may see statistics (analysts,
coordinators, administrators), for their own organisation's programmes, with small counts
suppressed (most.lib.statistics) so that no participant can be singled out."""

from most.programmes.models import Programme
from most.programmes.policy import can_view_figures

__all__ = ["can_view_figures", "programmes_with_figures"]


def programmes_with_figures(member):
    if not can_view_figures(member):
        return Programme.objects.none()
    return Programme.objects.filter(organisation=member.organisation_id).order_by(
        "-starts_on", "name", "pk"
    )
