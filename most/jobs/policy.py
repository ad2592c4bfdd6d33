"""A job and what it produced belong to the member who asked for it, in that organisation."""

from .models import Job


def jobs_visible_to(member):
    if member is None:
        return Job.objects.none()
    return Job.objects.filter(requested_by=member.user_id, organisation=member.organisation_id)
