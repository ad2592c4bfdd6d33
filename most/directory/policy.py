"""Who may change the service catalogue.

Anyone reads it (the public finder, the HSDS API). A network member's administrators and
coordinators keep the entries of the organisations their member keeps (`Organization.owner`)
and import datasets; an entry nobody keeps (imported from another catalogue) is changed only by
importing it again.
"""

from django.db.models import Q

from most.accounts.policy import Action, can

from .models import SHAREABLE, Organization, Professional, Service


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


# --- The catalogue of professionals ----------------------------------------------------------
# Every member of staff searches it. Colleagues see all of a professional's entry; other
# organisations see their name, organisation and roles, and only the fields they chose to share,
# and only if they chose to be listed.


def professionals_visible_to(member):
    if member is None:
        return Professional.objects.none()
    return Professional.objects.filter(Q(organisation=member.organisation_id) | Q(listed=True))


def visible_fields(member, professional) -> frozenset:
    if professional.organisation_id == member.organisation_id:
        return frozenset(SHAREABLE)
    return frozenset(professional.shared) & frozenset(SHAREABLE)


def can_edit_profile(member, professional) -> bool:
    return professional.user_id == member.user_id
