from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from most.accounts.decorators import member_required
from most.audit.models import AuditAction
from most.lib.errors import Conflict, NotAllowed, NotFound
from most.lib.spreadsheet import csv_lines

from . import policy, selectors, services
from .forms import (
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    HouseholdMemberForm,
    NewMemberPlacementForm,
    PersonForm,
    PersonSearchForm,
)
from .models import Consent
from .rows import listed, person_rows
from .selectors import PersonQuery

PAGE_SIZE = 25


def _get(getter, member, pk):
    try:
        return getter(member, pk)
    except NotFound:
        raise Http404 from None


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _search_query(request, with_choices=True):
    municipalities = selectors.municipalities_of(request.member) if with_choices else ()
    form = PersonSearchForm(request.GET or None, municipalities=municipalities)
    if not form.is_valid():
        return form, PersonQuery()
    return form, PersonQuery(
        text=form.cleaned_data["q"],
        residence_status=form.cleaned_data["status"],
        municipality=form.cleaned_data["municipality"],
        language=form.cleaned_data["language"],
    )


@require_GET
@member_required
def person_list(request):
    if not policy.can_view_persons(request.member):
        raise Http404
    fragment = request.htmx and request.htmx.target == "results"
    form, query = _search_query(request, with_choices=not fragment)
    result = selectors.person_search(request.member, query)
    paginator = Paginator(result.pages(listed), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if query.text:
        services.persons_listing_record(
            member=request.member,
            action=AuditAction.SEARCH,
            text=query.text,
            count=page.paginator.count,
            request=request,
        )
    context = {
        "form": form,
        "page": page,
        "rows": person_rows(page.object_list),
        "similar": result.similar,
        "query_string": _query_string(request),
        "can_register": policy.can_register_person(request.member),
        "can_export": policy.can_export_persons(request.member),
    }
    template = "people/person_list.html" + ("#results" if fragment else "")
    return render(request, template, context)


@require_GET
@member_required
def person_export(request):
    """The persons the search finds, as CSV; the export itself is audited."""
    if not policy.can_export_persons(request.member):
        raise Http404
    _form, query = _search_query(request, with_choices=False)
    persons = selectors.person_search(request.member, query).persons
    services.persons_listing_record(
        member=request.member,
        action=AuditAction.EXPORT,
        text=query.text,
        count=persons.count(),
        request=request,
    )
    header, rows = selectors.person_export_rows(persons)
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="persons-{day}.csv"'
    return response


def _query_string(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@member_required
def person_detail(request, pk):
    person = _get(selectors.person_for, request.member, pk)
    services.person_record_view(member=request.member, person=person, request=request)
    own = person.organisation_id == request.member.organisation_id
    context = {
        "person": person,
        "shared_fields": policy.person_fields_visible_to(request.member, person),
        "own": own,
        "can_change": policy.can_change_person(request.member, person),
        "can_manage_consents": policy.can_manage_consents(request.member, person),
        "consent_form": ConsentForm(),
        "household": getattr(getattr(person, "membership", None), "household", None),
    }
    return render(request, "people/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def person_create(request):
    if not policy.can_register_person(request.member):
        raise Http404
    household = None
    household_id = request.POST.get("household") or request.GET.get("household")
    if household_id:
        household = _get(selectors.household_for, request.member, household_id)
    placement = NewMemberPlacementForm(
        request.POST or None,
        initial={
            "household": household.pk if household else None,
            "relationship": request.GET.get("relationship", ""),
        },
    )
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid() and placement.is_valid():
            try:
                person = _register(request, form, household, placement)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("%(name)s was registered.") % {"name": person})
                target = household.get_absolute_url() if household else person.get_absolute_url()
                return _redirect(request, target)
    else:
        initial = {}
        if household:
            initial = {"municipality": household.municipality, "address": household.address}
            first = household.members.all()[:1]
            if first:
                initial["family_name"] = first[0].person.family_name
                initial["country_of_origin"] = first[0].person.country_of_origin
                initial["citizenship"] = first[0].person.citizenship
        form = PersonForm(initial=initial)
    status = 422 if form.errors else 200
    context = {"form": form, "placement": placement, "household": household}
    return render(request, "people/person_form.html", context, status=status)


def _register(request, form, household, placement):
    relationship = placement.cleaned_data.get("relationship")
    if household and not relationship:
        raise ValidationError({"relationship": _("Choose the relationship in the household.")})
    with transaction.atomic():
        person = services.person_register(
            member=request.member,
            fields=form.person_fields(),
            aliases=form.alias_list(),
            languages=form.cleaned_data["languages"],
            vulnerabilities=form.cleaned_data["vulnerabilities"],
            request=request,
        )
        if household:
            services.household_add_member(
                member=request.member,
                household=household,
                person=person,
                relationship=relationship,
                request=request,
            )
    return person


def _redirect(request, target):
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@require_http_methods(["GET", "POST"])
@member_required
def person_edit(request, pk):
    person = _get(selectors.person_for, request.member, pk)
    if not policy.can_change_person(request.member, person):
        raise Http404
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST, instance=person)
        if form.is_valid():
            try:
                services.person_update(
                    member=request.member,
                    person=person,
                    version=form.cleaned_data["version"] or 0,
                    fields=form.person_fields(),
                    aliases=form.alias_list(),
                    languages=form.cleaned_data["languages"],
                    vulnerabilities=form.cleaned_data["vulnerabilities"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Changes to %(name)s were saved.") % {"name": person})
                return _redirect(request, person.get_absolute_url())
        status = status if status == 409 else 422
    else:
        form = PersonForm(instance=person)
    return render(
        request, "people/person_form.html", {"form": form, "person": person}, status=status
    )


@require_POST
@member_required
def consent_add(request, pk):
    person = _get(selectors.person_for, request.member, pk)
    if not policy.can_manage_consents(request.member, person):
        raise Http404
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                member=request.member, person=person, fields=form.cleaned_data, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return _redirect(request, person.get_absolute_url())
    person = selectors.person_for(request.member, pk)
    context = {"person": person, "consent_form": form, "can_manage_consents": True}
    return render(request, "people/person_detail.html#consent-form", context, status=422)


@require_POST
@member_required
def consent_withdraw(request, pk):
    consent = Consent.objects.select_related("person").filter(pk=pk).first()
    if consent is None:
        raise Http404
    person = _get(selectors.person_for, request.member, consent.person_id)
    if not policy.can_manage_consents(request.member, person):
        raise Http404
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                member=request.member,
                consent=consent,
                on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The consent was withdrawn."))
    else:
        messages.error(request, _("Enter a valid withdrawal date."))
    return redirect(person.get_absolute_url())


# --- Households ---------------------------------------------------------------------------


@require_GET
@member_required
def household_list(request):
    if not policy.can_view_persons(request.member):
        raise Http404
    text = request.GET.get("q", "")[:200]
    households = selectors.households_of(request.member, text)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": text,
        "can_manage": policy.can_manage_household(request.member),
    }
    template = "people/household_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@member_required
def household_create(request):
    if not policy.can_manage_household(request.member):
        raise Http404
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                member=request.member,
                request=request,
                name=form.cleaned_data["name"],
                municipality=form.cleaned_data["municipality"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The household was created. Now add its members."))
            return _redirect(request, household.get_absolute_url())
    status = 422 if form.errors else 200
    return render(request, "people/household_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def household_detail(request, pk):
    household = _get(selectors.household_for, request.member, pk)
    can_manage = policy.can_manage_household(request.member, household)
    form = HouseholdForm(instance=household, initial={"version": household.version})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        form = HouseholdForm(request.POST, instance=household)
        if form.is_valid():
            try:
                services.household_update(
                    member=request.member,
                    household=household,
                    version=form.cleaned_data["version"] or 0,
                    fields=form.cleaned_data,
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The household was saved."))
                return redirect(household.get_absolute_url())
        status = 409 if form.non_field_errors() else 422
    context = {
        "household": household,
        "form": form,
        "can_manage": can_manage,
        "member_form": HouseholdMemberForm(),
    }
    return render(request, "people/household_detail.html", context, status=status)


@require_GET
@member_required
def household_candidates(request, pk):
    """The persons that could join the household, found as the user types (HTMX)."""
    household = _get(selectors.household_for, request.member, pk)
    if not policy.can_manage_household(request.member, household):
        raise Http404
    text = request.GET.get("q", "")[:200]
    persons = []
    if text.strip():
        persons = selectors.person_search(request.member, PersonQuery(text=text)).persons.exclude(
            membership__household=household
        )[:10]
    context = {"household": household, "candidates": persons, "member_form": HouseholdMemberForm()}
    return render(request, "people/household_detail.html#candidates", context)


@require_POST
@member_required
def household_member_add(request, pk):
    household = _get(selectors.household_for, request.member, pk)
    form = HouseholdMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and their relationship."))
        return redirect(household.get_absolute_url())
    person = _get(selectors.person_for, request.member, form.cleaned_data["person"])
    try:
        services.household_add_member(
            member=request.member,
            household=household,
            person=person,
            relationship=form.cleaned_data["relationship"],
            request=request,
        )
    except NotAllowed:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s joined the household.") % {"name": person})
    return redirect(household.get_absolute_url())


@require_POST
@member_required
def household_member_remove(request, pk, person_pk):
    household = _get(selectors.household_for, request.member, pk)
    person = _get(selectors.person_for, request.member, person_pk)
    try:
        services.household_remove_member(
            member=request.member, household=household, person=person, request=request
        )
    except NotAllowed:
        raise Http404 from None
    messages.success(request, _("%(name)s left the household.") % {"name": person})
    return redirect(household.get_absolute_url())
