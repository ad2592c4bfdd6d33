"""The catalogue of professionals: every member of staff searches it and keeps their own entry."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.web import add_errors

from . import policy, professionals
from .forms import language_name
from .models import Professional, ProfessionalRole
from .staff_forms import ProfessionalForm, ProfessionalSearchForm, professional_initial

PER_PAGE = 25


def _card(member, profile):
    """What the member may see of a professional's entry."""
    visible = policy.visible_fields(member, profile)
    card = {
        "profile": profile,
        "roles": [ProfessionalRole(r).label for r in professionals.profile_roles(profile)],
        "colleague": profile.organisation_id == member.organisation_id,
    }
    for name in ("skills", "qualifications", "availability", "phone", "email"):
        card[name] = getattr(profile, name) if name in visible else ""
    card["languages"] = (
        [language_name(c) for c in Professional.unframed(profile.languages)]
        if "languages" in visible
        else []
    )
    card["regions"] = Professional.unframed(profile.regions) if "regions" in visible else []
    return card


@require_GET
@member_required
def professional_search(request):
    form = ProfessionalSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = professionals.search(
        request.member,
        text=data.get("q", ""),
        role=data.get("role", ""),
        language=data.get("language", ""),
        region=data.get("region", ""),
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": [_card(request.member, profile) for profile in page.object_list],
        "query_string": query.urlencode(),
        "mine": professionals.profile_of(request.member),
    }
    return render(request, "directory/professionals.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def professional_mine(request):
    profile = professionals.profile_of(request.member)
    form = ProfessionalForm(request.POST or None, initial=professional_initial(profile))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            professionals.profile_save(
                member=request.member,
                fields=data,
                roles=data["roles"],
                languages=data["languages"],
                regions=data["regions"],
                shared=data["shared"],
                listed=data["listed"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your entry was saved."))
            return redirect("professionals:search")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "profile": profile}
    return render(request, "directory/professional_form.html", context, status=status)


@require_POST
@member_required
def professional_remove(request):
    professionals.profile_remove(member=request.member, request=request)
    messages.success(request, _("You are no longer in the catalogue of professionals."))
    return redirect("professionals:search")


@require_GET
@member_required
def professional_export(request):
    """Everything the catalogue holds about the member, as JSON to download ({}: nothing)."""
    data = professionals.profile_export(request.member)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-professional-entry.json"'
    return response
