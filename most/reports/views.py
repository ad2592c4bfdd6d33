"""The figures pages: a programme's dashboard with charts and the numbers beside them, and its
CSV and XLSX exports (small counts suppressed as on the page)."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from most.accounts.decorators import member_required
from most.audit.models import AuditAction
from most.audit.services import audit_member
from most.lib.spreadsheet import XLSX_TYPE, csv_lines, xlsx_bytes
from most.web import get_or_404

from . import policy, selectors


@require_GET
@member_required
def index(request):
    if not policy.can_view_figures(request.member):
        raise Http404
    context = {"programmes": policy.programmes_with_figures(request.member)}
    return render(request, "reports/index.html", context)


@require_GET
@member_required
def programme_dashboard(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    context = {"programme": programme, **selectors.programme_figures(programme)}
    return render(request, "reports/programme.html", context)


def _export(request, pk, kind):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    rows = selectors.export_rows(selectors.programme_figures(programme))
    header = [_("Table"), _("Group"), _("Count")]
    audit_member(
        request.member,
        AuditAction.EXPORT,
        programme,
        facts={"figures": kind, "rows": len(rows)},
        request=request,
    )
    name = slugify(programme.name) or "programme"
    if kind == "csv":
        response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(xlsx_bytes(header, rows, _("Figures")), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_GET
@member_required
def programme_export_csv(request, pk):
    return _export(request, pk, "csv")


@require_GET
@member_required
def programme_export_xlsx(request, pk):
    return _export(request, pk, "xlsx")
