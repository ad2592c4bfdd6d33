from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from most.accounts.decorators import member_required
from most.audit.models import AuditAction
from most.lib.errors import Conflict, NotAllowed
from most.lib.spreadsheet import csv_lines
from most.web import add_errors, get_or_404

from . import policy, sections, selectors, services, situations, timeline
from .forms import (
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    HouseholdMemberForm,
    NewMemberPlacementForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
    SituationForm,
    default_relationship,
)
from .models import Consent, Relationship
from .rows import listed, person_rows
from .selectors import PersonQuery

PAGE_SIZE = selectors.PAGE_SIZE


def _search_query(request, with_choices=True):
    """The search form and its query; no query (None) when the form is invalid: an empty query
    finds everybody, and an invalid search must find nobody."""
    municipalities = selectors.municipalities_of(request.member) if with_choices else ()
    form = PersonSearchForm(request.GET or None, municipalities=municipalities)
    if not form.is_bound:
        return form, PersonQuery()
    if not form.is_valid():
        return form, None
    return form, form.query()


@require_GET
@member_required
def person_list(request):
    if not policy.can_view_persons(request.member):
        raise Http404
    fragment = request.htmx and request.htmx.target == "results"
    form, query = _search_query(request, with_choices=not fragment)
    template = "people/person_list.html" + ("#results" if fragment else "")
    if query is None:
        context = {
            "form": form,
            "page": Paginator([], PAGE_SIZE).get_page(1),
            "rows": [],
            "can_register": policy.can_register_person(request.member),
        }
        return render(request, template, context, status=422)
    result = selectors.person_search(request.member, query)
    paginator = Paginator(result.pages(listed), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    services.persons_shown_audit(
        member=request.member,
        action=AuditAction.SEARCH if query.text else AuditAction.LIST,
        description=query.text,
        person_ids=[person.pk for person in page.object_list],
        total=page.paginator.count,
        request=request,
        typing=request.session if fragment and query.text else None,
    )
    context = {
        "form": form,
        "page": page,
        "rows": person_rows(page.object_list),
        "similar": result.similar,
        "capped": paginator.object_list.capped,
        "query_string": _query_string(request),
        "can_register": policy.can_register_person(request.member),
        "can_export": policy.can_export_persons(request.member),
    }
    return render(request, template, context)


@require_GET
@member_required
def person_export(request):
    """The persons the search finds, as CSV; the export itself is audited."""
    if not policy.can_export_persons(request.member):
        raise Http404
    form, query = _search_query(request, with_choices=False)
    if query is None:
        errors = [f"{field.label}: {error}" for field in form for error in field.errors]
        message = _("Nothing was exported, because the search is not valid.")
        return HttpResponseBadRequest(
            "\n".join([message, *errors, *form.non_field_errors()]) + "\n",
            content_type="text/plain; charset=utf-8",
        )
    persons = selectors.person_search(request.member, query).persons
    services.persons_shown_audit(
        member=request.member,
        action=AuditAction.EXPORT,
        description=query.text,
        person_ids=(),  # the search defines the rows; their number is recorded
        total=persons.count(),
        request=request,
    )
    header, rows = selectors.person_export_rows(persons)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
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
    person = get_or_404(selectors.person_for, request.member, pk)
    services.person_view_audit(member=request.member, person=person, request=request)
    own = policy.is_own_record(request.member, person)
    context = {
        "person": person,
        "shared": selectors.shared_data(request.member, person),
        "own": own,
        "can_change": policy.can_change_person(request.member, person),
        "can_manage_consents": policy.can_share_person(request.member, person),
        "consent_form": ConsentForm(),
        "situation": situations.situation_summary(person) if own else None,
        "situation_form": SituationForm(),
        "sections": sections.sections_for(request, person) if own else (),
        "timeline": timeline.timeline_page(request.member, person) if own else None,
        "household": getattr(getattr(person, "membership", None), "household", None),
        "data_protection": policy.is_data_protection_contact(request.member, person),
    }
    return render(request, "people/person_detail.html", context)


@require_GET
@member_required
def person_history(request, pk):
    """Who read and changed the record, newest first (an audit of its own: it shows values)."""
    person = get_or_404(selectors.person_for, request.member, pk)
    if not policy.can_view_history(request.member, person):
        raise Http404
    services.person_view_audit(member=request.member, person=person, request=request, via="history")
    page = selectors.person_history(request.member, person, request.GET.get("page"))
    context = {"person": person, "page": page, "query_string": ""}
    return render(request, "people/person_history.html", context)


@require_GET
@member_required
def person_timeline(request, pk):
    """Everything that happened to the person, newest first, a page at a time."""
    person = get_or_404(selectors.person_for, request.member, pk)
    if not policy.can_view_history(request.member, person):
        raise Http404
    services.person_view_audit(
        member=request.member, person=person, request=request, via="timeline"
    )
    page = timeline.timeline_page(request.member, person, request.GET.get("page"))
    context = {"person": person, "timeline": page, "query_string": ""}
    return render(request, "people/person_timeline.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def person_create(request):
    if not policy.can_register_person(request.member):
        raise Http404
    household = None
    household_id = request.POST.get("household") or request.GET.get("household")
    if household_id:
        household = get_or_404(selectors.household_for, request.member, household_id)
    placement = NewMemberPlacementForm(
        request.POST or None,
        initial={
            "household": household.pk if household else None,
            "relationship": request.GET.get("relationship") or default_relationship(household),
        },
    )
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid() and placement.is_valid():
            try:
                person = _register(request, form, household, placement)
            except ValidationError as error:
                add_errors(form, error)
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
    person = get_or_404(selectors.person_for, request.member, pk)
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
                add_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("Changes to %(name)s were saved.") % {"name": person})
                return _redirect(request, person.get_absolute_url())
        status = status if status == 409 else 422
    else:
        form = PersonForm(instance=person)
        services.person_view_audit(
            member=request.member, person=person, request=request, via="edit form"
        )
    return render(
        request, "people/person_form.html", {"form": form, "person": person}, status=status
    )


@require_POST
@member_required
def consent_add(request, pk):
    person = get_or_404(selectors.person_for, request.member, pk)
    if not policy.can_share_person(request.member, person):
        raise Http404
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                member=request.member, person=person, fields=form.cleaned_data, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return _redirect(request, person.get_absolute_url())
    person = selectors.person_for(request.member, pk)
    context = {"person": person, "consent_form": form, "can_manage_consents": True}
    return render(request, "people/person_detail.html#consent-form", context, status=422)


@require_POST
@member_required
def situation_add(request, pk):
    person = get_or_404(selectors.person_for, request.member, pk)
    if not policy.can_change_person(request.member, person):
        raise Http404
    form = SituationForm(request.POST)
    if form.is_valid():
        try:
            situations.situation_record(
                member=request.member,
                person=person,
                fields=form.situation_fields(),
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The situation was recorded."))
            return _redirect(request, person.get_absolute_url() + "#h-situation")
    context = {
        "person": person,
        "situation_form": form,
        "situation": situations.situation_summary(person),
        "can_change": True,
    }
    return render(request, "people/person_detail.html#situation-panel", context, status=422)


@require_POST
@member_required
def consent_withdraw(request, pk):
    consent = Consent.objects.select_related("person").filter(pk=pk).first()
    if consent is None:
        raise Http404
    person = get_or_404(selectors.person_for, request.member, consent.person_id)
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
                version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except Conflict as error:
            messages.error(request, error.message)
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
    services.persons_shown_audit(
        member=request.member,
        action=AuditAction.SEARCH if text.strip() else AuditAction.LIST,
        description=text,
        person_ids=[m.person_id for h in page.object_list for m in h.members.all()],
        total=page.paginator.count,
        request=request,
    )
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
            add_errors(form, error)
        else:
            messages.success(request, _("The household was created. Now add its members."))
            return _redirect(request, household.get_absolute_url())
    status = 422 if form.errors else 200
    return render(request, "people/household_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def household_detail(request, pk):
    household = get_or_404(selectors.household_for, request.member, pk)
    if request.method == "GET":
        services.persons_shown_audit(
            member=request.member,
            action=AuditAction.LIST,
            description=household.name,
            person_ids=[m.person_id for m in household.members.all()],
            total=len(household.members.all()),
            request=request,
        )
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
                add_errors(form, error)
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
        "member_form": HouseholdMemberForm(household=household),
        "relationships": Relationship.choices,
    }
    return render(request, "people/household_detail.html", context, status=status)


@require_GET
@member_required
def household_candidates(request, pk):
    """The persons that could join the household, found as the user types (HTMX), ranked as
    the person search ranks them."""
    household = get_or_404(selectors.household_for, request.member, pk)
    if not policy.can_manage_household(request.member, household):
        raise Http404
    text = request.GET.get("q", "")[:200]
    candidates = []
    if text.strip():
        result = selectors.person_search(request.member, PersonQuery(text=text))
        candidates = [
            person
            for person in result.pages(selectors.with_household)[: CANDIDATES + 1]
            if getattr(getattr(person, "membership", None), "household_id", None) != household.pk
        ][:CANDIDATES]
        services.persons_shown_audit(
            member=request.member,
            action=AuditAction.SEARCH,
            description=text,
            person_ids=[person.pk for person in candidates],
            total=len(candidates),
            request=request,
            typing=request.session,
        )
    context = {
        "household": household,
        "candidates": candidates,
        "member_form": HouseholdMemberForm(household=household),
    }
    return render(request, "people/household_detail.html#candidates", context)


CANDIDATES = 10


@require_POST
@member_required
def household_member_add(request, pk):
    household = get_or_404(selectors.household_for, request.member, pk)
    if not policy.can_manage_household(request.member, household):
        raise Http404
    form = HouseholdMemberForm(request.POST, household=household)
    if not form.is_valid() or not form.cleaned_data["relationship"]:
        messages.error(request, _("Choose a person and their relationship."))
        return redirect(household.get_absolute_url())
    person = get_or_404(selectors.person_for, request.member, form.cleaned_data["person"])
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
def household_member_change(request, pk, person_pk):
    household = get_or_404(selectors.household_for, request.member, pk)
    if not policy.can_manage_household(request.member, household):
        raise Http404
    person = get_or_404(selectors.person_for, request.member, person_pk)
    form = RelationshipForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["relationship"]:
        messages.error(request, _("Choose the relationship."))
        return redirect(household.get_absolute_url())
    try:
        services.household_member_change(
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
        messages.success(request, _("The relationship of %(name)s was saved.") % {"name": person})
    return redirect(household.get_absolute_url())


@require_POST
@member_required
def household_member_remove(request, pk, person_pk):
    household = get_or_404(selectors.household_for, request.member, pk)
    person = get_or_404(selectors.person_for, request.member, person_pk)
    try:
        services.household_remove_member(
            member=request.member, household=household, person=person, request=request
        )
    except NotAllowed:
        raise Http404 from None
    messages.success(request, _("%(name)s left the household.") % {"name": person})
    return redirect(household.get_absolute_url())


@require_POST
@member_required
def person_export_xlsx(request):
    """Start an XLSX export of what the search finds; the job's page shows how far it is."""
    if not policy.can_export_persons(request.member):
        raise Http404
    form = PersonSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was exported, because the search is not valid."))
        return redirect("people:list")
    job = services.persons_export_start(member=request.member, query=form.query(), request=request)
    return redirect("jobs:detail", job.pk)
