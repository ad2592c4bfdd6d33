"""Who may change the service catalogue.

Anyone reads it (the public finder, the HSDS API). A network member's administrators and
coordinators keep the entries of the organisations their member keeps (`Organization.owner`)
and import datasets; an entry nobody keeps (imported from another catalogue) is changed only by
importing it again.
"""

from most.accounts.policy import Action, can

from .models import Organization, Service


def can_manage_catalogue(member) -> bool:
    return can(member, Action.CATALOGUE_MANAGE)


def services_kept_by(member):
    if not can_manage_catalogue(member):
        return Service.objects.none()
    return Service.objects.filter(organization__owner=member.organisation_id)


def can_edit_service(member, service) -> bool:
    return can_manage_catalogue(member) and (
        Organization.objects.filter(
            pk=service.organization_id, owner=member.organisation_id
        ).exists()
    )
