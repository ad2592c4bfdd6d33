from django.conf import settings

from .policy import Action, can


def workspace(request):
    """What the navigation needs: the active membership, the others, and what they allow."""
    member = getattr(request, "member", None)
    if member is None:
        return {"member": None, "staff_languages": settings.STAFF_LANGUAGES}
    return {
        "staff_languages": settings.STAFF_LANGUAGES,
        "member": member,
        "memberships": request.memberships,
        "nav": {
            "persons": can(member, Action.PERSON_VIEW),
            "programmes": can(member, Action.PROGRAMME_VIEW),
            "figures": can(member, Action.STATISTICS_VIEW),
            "audit": can(member, Action.AUDIT_VIEW),
            "members": can(member, Action.MEMBERS_MANAGE),
            "privacy": can(member, Action.DATA_PROTECTION),
            "catalogue": can(member, Action.CATALOGUE_MANAGE),
            "referrals": can(member, Action.REFERRAL_VIEW),
        },
    }
