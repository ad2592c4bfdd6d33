"""The staff's side of the service catalogue: the services their organisation keeps, what has
gone stale, editing, translations and imports."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.lib.errors import Conflict
from most.web import add_errors

from . import categories, policy, services
from .forms import language_name
from .staff_forms import ImportForm, ServiceForm, TranslationForm, hours_formset

# An entry its owner has not checked for this long is stale.
STALE_AFTER = datetime.timedelta(days=183)


def _kept(request, pk):
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise Http404 from None
    service = policy.services_kept_by(request.member).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def _manager(request):
    if not policy.can_manage_catalogue(request.member):
        raise Http404


@require_GET
@member_required
def catalogue_home(request):
    _manager(request)
    stale_before = timezone.localdate() - STALE_AFTER
    kept = policy.services_kept_by(request.member).select_related("organization")
    stale = kept.filter(Q(assured_date__lt=stale_before) | Q(assured_date__isnull=True))
    stale_only = request.GET.get("stale") == "1"
    rows = stale.order_by("assured_date", "name") if stale_only else kept.order_by("name")
    stale_count = stale.count()
    return render(
        request,
        "directory/catalogue.html",
        {
            "services": list(rows),
            "stale_before": stale_before,
            "stale_only": stale_only,
            "stale_count": stale_count,
        },
    )


def _service_form(request, service=None):
    language = get_language()
    form = ServiceForm(request.POST or None, instance=service, language=language)
    hours = hours_formset(request.POST or None, service)
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        data = form.cleaned_data
        try:
            saved = services.service_save(
                member=request.member,
                service=service,
                version=data.get("version") or (service.version if service else None),
                fields={name: data.get(name) for name in services.SERVICE_FIELDS},
                category=data["category"],
                languages=data["languages"],
                free=data["free"],
                place={name: data.get(name) for name in services.PLACE_FIELDS},
                wheelchair=data["wheelchair"],
                hours=[row.hours() for row in hours if row.hours()],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("catalogue:edit", saved.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "hours": hours, "service": service}
    return render(request, "directory/service_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def service_create(request):
    _manager(request)
    return _service_form(request)


@require_http_methods(["GET", "POST"])
@member_required
def service_edit(request, pk):
    return _service_form(request, _kept(request, pk))


@require_POST
@member_required
def service_confirm(request, pk):
    service = _kept(request, pk)
    services.service_confirm(member=request.member, service=service, request=request)
    messages.success(request, _("Marked as checked today: %(name)s.") % {"name": service.name})
    return redirect("catalogue:home")


@require_http_methods(["GET", "POST"])
@member_required
def service_translate(request, pk):
    service = _kept(request, pk)
    languages = [code for code in categories.LANGUAGES if code != service.original_language]
    language = request.GET.get("language") or request.POST.get("language") or "en"
    if language not in languages:
        raise Http404
    current = service.translations.get(language, {})
    form = TranslationForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_translate(
                service, language, form.cleaned_data, member=request.member, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect("catalogue:edit", service.pk)
    status = 422 if request.method == "POST" else 200
    context = {
        "service": service,
        "form": form,
        "language": language,
        "language_label": language_name(language),
        "languages": [
            (code, language_name(code), code in service.translations) for code in languages
        ],
    }
    return render(request, "directory/service_translate.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def catalogue_import(request):
    _manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.catalogue_import_start(
            member=request.member, upload=form.cleaned_data["dataset"], request=request
        )
        return redirect("jobs:detail", job.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "directory/import.html", {"form": form}, status=status)
