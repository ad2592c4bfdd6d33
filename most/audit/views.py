from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from most.accounts.decorators import member_required

from .forms import AuditFilterForm
from .policy import can_view_audit
from .selectors import audit_pages, entries_shown


@require_GET
@member_required
def entry_list(request):
    if not can_view_audit(request.member):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"],
            "actor": data["actor"],
            "person_id": data["person"],
            "day_from": data["day_from"],
            "day_to": data["day_to"],
        }
    entries = audit_pages(request.member, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = entries_shown(
        page.object_list, organisation_id=request.member.organisation_id
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "capped": entries.capped,
        "query_string": params.urlencode(),
    }
    return render(request, "audit/entry_list.html", context)
