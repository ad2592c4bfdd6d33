"""The catalogue of professionals: a member's own entry, and the network's search.

The search matches colleagues on everything in their entry and others only on what they chose
to share, so that a hidden field cannot be found out by searching for it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member
from most.lib.names import query_words

from . import categories, policy
from .models import REGIONS, SHAREABLE, Professional, ProfessionalRole
from .selectors import search_text

TEXTS = ("skills", "qualifications", "availability")


def profile_of(member):
    return Professional.objects.filter(user=member.user_id).first()


def profile_save(*, member, fields, roles, languages, regions, shared, listed, request=None):
    """The member's own entry, made or changed; they decide what the network sees."""
    errors = {}
    if not roles or set(roles) - set(ProfessionalRole.values):
        errors["roles"] = [_("Choose at least one role.")]
    if set(languages) - set(categories.SPOKEN_LANGUAGES):
        errors["languages"] = [_("Choose languages from the list.")]
    if set(regions) - set(REGIONS):
        errors["regions"] = [_("Choose regions from the list.")]
    if set(shared) - set(SHAREABLE):
        errors["shared"] = [_("Choose what to share from the list.")]
    if errors:
        raise ValidationError(errors)
    profile = profile_of(member) or Professional(user=member.user)
    creating = profile.pk is None
    profile.organisation_id = member.organisation_id
    for name in ("skills", "qualifications", "availability", "phone", "email"):
        setattr(profile, name, (fields.get(name) or "").strip())
    profile.roles = Professional.framed(roles)
    profile.languages = Professional.framed(languages)
    profile.regions = Professional.framed(regions)
    profile.shared, profile.listed = list(shared), listed
    profile.own_text, profile.shared_text = _search_texts(profile)
    profile.updated_at = timezone.now()
    with transaction.atomic():
        profile.save()
        audit_member(
            member,
            AuditAction.CREATE if creating else AuditAction.UPDATE,
            profile,
            facts={"listed": listed, "shared": sorted(shared)},
            request=request,
        )
    return profile


def _search_texts(profile):
    base = [
        profile.user.full_name,
        *(str(ProfessionalRole(r).label) for r in profile_roles(profile)),
    ]
    texts = {name: getattr(profile, name) for name in TEXTS}
    texts["languages"] = " ".join(
        categories.SPOKEN_LANGUAGES.get(c, c) for c in Professional.unframed(profile.languages)
    )
    texts["regions"] = " ".join(Professional.unframed(profile.regions))
    everything = search_text(*base, *texts.values())
    shared = search_text(*base, *(text for name, text in texts.items() if name in profile.shared))
    return everything, shared


def profile_roles(profile):
    return [r for r in Professional.unframed(profile.roles) if r in ProfessionalRole.values]


def profile_remove(*, member, request=None):
    """The member leaves the catalogue: their entry is deleted."""
    profile = profile_of(member)
    if profile is None:
        return
    with transaction.atomic():
        audit_member(member, AuditAction.DELETE, profile, request=request)
        profile.delete()


def profile_export(member) -> dict:
    """Everything the catalogue holds about the member, for them to download."""
    profile = profile_of(member)
    if profile is None:
        return {}
    return {
        "name": profile.user.full_name,
        "organisation": profile.organisation.name,
        **profile_values(profile),
        "updated_at": profile.updated_at.isoformat(),
    }


def profile_values(profile) -> dict:
    """The entry's fields as the member gave them."""
    return {
        "roles": profile_roles(profile),
        "skills": profile.skills,
        "languages": Professional.unframed(profile.languages),
        "qualifications": profile.qualifications,
        "regions": Professional.unframed(profile.regions),
        "availability": profile.availability,
        "phone": profile.phone,
        "email": profile.email,
        "listed": profile.listed,
        "shared": profile.shared,
    }


def search(member, text="", role="", language="", region=""):
    """The professionals the member may see that match: on everything for colleagues, on what
    is shared for the others."""
    mine = Q(organisation=member.organisation_id)
    theirs = Q(listed=True) & ~mine
    found = policy.professionals_visible_to(member).select_related("user", "organisation")
    for word in query_words(text):
        found = found.filter(
            (mine & Q(own_text__contains=word)) | (theirs & Q(shared_text__contains=word))
        )
    if role:
        found = found.filter(roles__contains=f",{role},")
    for name, value in (("languages", language), ("regions", region)):
        if value:
            shared = theirs & Q(shared__icontains=f'"{name}"')
            found = found.filter(Q(**{f"{name}__contains": f",{value},"}) & (mine | shared))
    return found.order_by("user__full_name", "pk")
