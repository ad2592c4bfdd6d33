from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.audit.models import AuditAction
from most.lib.errors import Conflict, NotAllowed
from most.people import selectors as people
from most.people.models import HouseholdMember
from most.people.services import person_view_audit, persons_shown_audit
from most.web import add_errors, get_or_404

from . import activity_selectors, eligibility, policy, selectors, services
from .forms import (
    ConditionForm,
    EnrolForm,
    FieldChoiceForm,
    HouseholdEnrolForm,
    MoveForm,
    ProgrammeForm,
    phase_formset,
)
from .models import DropoutReason, EnrolmentStatus

# A programme's page lists this many participants of one status (a group is rarely larger).
PARTICIPANTS = 200


def _audit_shown(request, description, person_ids, total=None):
    if person_ids:
        persons_shown_audit(
            member=request.member,
            action=AuditAction.LIST,
            description=description,
            personal=False,
            person_ids=person_ids,
            total=len(person_ids) if total is None else total,
            request=request,
        )


@require_GET
@member_required
def programme_list(request):
    if not policy.can_view_programmes(request.member):
        raise Http404
    context = {
        "programmes": selectors.programmes_of(request.member),
        "can_manage": policy.can_manage_programme(request.member),
    }
    return render(request, "programmes/programme_list.html", context)


def _programme_form(request, programme=None):
    form = ProgrammeForm(request.POST or None, instance=programme)
    phases = phase_formset(request.POST or None, programme)
    if request.method == "POST" and form.is_valid() and phases.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PROGRAMME_FIELDS}
        try:
            if programme is None:
                programme = services.programme_create(
                    member=request.member,
                    fields=fields,
                    phases=phases.phases(),
                    areas=form.area_names(),
                    request=request,
                )
            else:
                services.programme_update(
                    member=request.member,
                    programme=programme,
                    version=form.cleaned_data["version"] or programme.version,
                    fields=fields,
                    phases=phases.phases(),
                    areas=form.area_names(),
                    request=request,
                )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect(programme.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "phases": phases, "programme": programme}
    return render(request, "programmes/programme_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def programme_create(request):
    if not policy.can_manage_programme(request.member):
        raise Http404
    return _programme_form(request)


@require_http_methods(["GET", "POST"])
@member_required
def programme_edit(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_programme(request.member, programme):
        raise Http404
    return _programme_form(request, programme)


@require_GET
@member_required
def programme_detail(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    status = request.GET.get("status") or EnrolmentStatus.ACTIVE
    if status not in EnrolmentStatus.values:
        status = EnrolmentStatus.ACTIVE
    enrolments = list(selectors.enrolments_in(request.member, programme, status)[:PARTICIPANTS])
    _audit_shown(request, f"programme {programme.pk}: {status}", [e.person_id for e in enrolments])
    context = {
        "programme": programme,
        "rules": eligibility.outline(programme.eligibility),
        "counts": selectors.status_counts(request.member, programme),
        "status": EnrolmentStatus(status),
        "statuses": EnrolmentStatus,
        "enrolments": enrolments,
        "activities": activity_selectors.activities_of(request.member, programme),
        "free": services.free_places(programme),
        "can_manage": policy.can_manage_programme(request.member, programme),
        "can_enrol": policy.can_manage_enrolments(request.member, programme),
        "can_see_figures": policy.can_view_figures(request.member),
        "reasons": DropoutReason.choices,
        "transitions": services.TRANSITIONS,
    }
    return render(request, "programmes/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def programme_rules(request, pk):
    """The eligibility rules: each condition in words with a button to remove it, and a form
    to add one in two steps (what it is about, then what it must be)."""
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_programme(request.member, programme):
        raise Http404
    name = request.POST.get("field") or request.GET.get("field")
    fact = eligibility.FACTS.get(name)
    choose = FieldChoiceForm(initial={"field": name})
    condition_form = None
    status = 200
    if fact is not None:
        municipalities = people.municipalities_of(request.member) if fact.choices is None else ()
        condition_form = ConditionForm(
            request.POST if request.method == "POST" else None,
            fact=fact,
            auto_id="condition_%s",
            municipalities=municipalities,
            initial={"version": programme.version},
        )
        if request.method == "POST":
            if condition_form.is_valid():
                rule = eligibility.with_condition(
                    programme.eligibility,
                    condition_form.condition(),
                    alternative=condition_form.cleaned_data["group"] == "alternative",
                )
                try:
                    services.programme_rules_save(
                        member=request.member,
                        programme=programme,
                        version=condition_form.cleaned_data["version"],
                        rule=rule,
                        request=request,
                    )
                except ValidationError as error:
                    condition_form.add_error(None, error.messages)
                except Conflict as error:
                    condition_form.add_error(None, error.message)
                else:
                    messages.success(request, _("The condition was added."))
                    return redirect("programmes:rules", pk=programme.pk)
            status = 422
    elif request.method == "POST":
        raise Http404
    context = {
        "programme": programme,
        "rules": eligibility.outline(programme.eligibility),
        "choose": choose,
        "condition_form": condition_form,
        "fact": fact,
    }
    return render(request, "programmes/programme_rules.html", context, status=status)


@require_POST
@member_required
def programme_rule_remove(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_programme(request.member, programme):
        raise Http404
    try:
        path = [int(part) for part in request.POST.get("path", "").split(".")]
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("That condition is no longer in the rules. Reload the page."))
        return redirect("programmes:rules", pk=programme.pk)
    try:
        services.programme_rules_save(
            member=request.member,
            programme=programme,
            version=version,
            rule=eligibility.without(programme.eligibility, path),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The condition was removed."))
    return redirect("programmes:rules", pk=programme.pk)


@require_GET
@member_required
def programme_eligible(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_enrolments(request.member, programme):
        raise Http404
    page = selectors.eligible_persons(request.member, programme, request.GET.get("page"))
    _audit_shown(
        request, f"programme {programme.pk}: eligible", [p.pk for p in page], page.paginator.count
    )
    context = {"programme": programme, "page": page, "query_string": ""}
    return render(request, "programmes/programme_eligible.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def programme_enrol(request, pk):
    """One person: why they are or are not eligible today, and enrolling them (or their whole
    household)."""
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_enrolments(request.member, programme):
        raise Http404
    form = EnrolForm(request.POST or None, initial={"person": request.GET.get("person")})
    person_id = request.POST.get("person") or request.GET.get("person")
    person = get_or_404(people.person_for, request.member, person_id)
    if not policy.can_enrol(request.member, programme, person):
        raise Http404
    person_view_audit(member=request.member, person=person, request=request, via="eligibility")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(
                member=request.member,
                programme=programme,
                persons=[person],
                apply_only=form.cleaned_data["apply_only"],
                note=form.cleaned_data["note"],
                request=request,
            )[0]
        except ValidationError as error:
            form.add_error(None, error.messages)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _enrolled_message([enrolment]))
            return redirect(programme.get_absolute_url())
        status = 422
    household_row = (
        HouseholdMember.objects.filter(person=person).select_related("household").first()
    )
    context = {
        "programme": programme,
        "person": person,
        "reasons": selectors.eligibility_of(programme, person),
        "enrolment": person.enrolments.filter(programme=programme).first(),
        "form": form,
        "household": household_row.household if household_row else None,
        "free": services.free_places(programme),
    }
    return render(request, "programmes/programme_enrol.html", context, status=status)


def _enrolled_message(enrolments):
    waiting = sum(1 for e in enrolments if e.status == EnrolmentStatus.WAITLISTED)
    applied = sum(1 for e in enrolments if e.status == EnrolmentStatus.APPLIED)
    if applied:
        return _("The application was recorded.")
    if waiting:
        return _("There was no free place: %(count)d now on the waiting list.") % {"count": waiting}
    return _("Enrolled: %(count)d taking part.") % {"count": len(enrolments)}


@require_GET
@member_required
def programme_check(request):
    """From a person's page: the eligibility page of the programme chosen there."""
    programme = get_or_404(selectors.programme_for, request.member, request.GET.get("programme"))
    person = get_or_404(people.person_for, request.member, request.GET.get("person"))
    if not policy.can_enrol(request.member, programme, person):
        raise Http404
    url = reverse("programmes:enrol", args=[programme.pk])
    return redirect(f"{url}?person={person.pk}")


@require_POST
@member_required
def programme_enrol_household(request, pk):
    programme = get_or_404(selectors.programme_for, request.member, pk)
    if not policy.can_manage_enrolments(request.member, programme):
        raise Http404
    form = HouseholdEnrolForm(request.POST)
    if not form.is_valid():
        raise Http404
    household = get_or_404(people.household_for, request.member, form.cleaned_data["household"])
    try:
        enrolments, left_out = services.enrol_household(
            member=request.member, programme=programme, household=household, request=request
        )
    except (ValidationError, NotAllowed) as error:
        text = error.messages if isinstance(error, ValidationError) else [error.message]
        for line in text:
            messages.error(request, line)
        return redirect(programme.get_absolute_url())
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(programme.get_absolute_url())
    messages.success(request, _enrolled_message(enrolments))
    for person, reasons in left_out.items():
        messages.warning(
            request,
            _("%(person)s was not enrolled: %(reasons)s")
            % {"person": person.latin_name, "reasons": " ".join(reasons)},
        )
    return redirect(programme.get_absolute_url())


@require_POST
@member_required
def enrolment_move(request, pk):
    enrolment = get_or_404(selectors.enrolment_for, request.member, pk)
    if not policy.can_enrol(request.member, enrolment.programme, enrolment.person):
        raise Http404
    form = MoveForm(request.POST)
    back = reverse("programmes:detail", args=[enrolment.programme_id])
    if not form.is_valid():
        messages.error(request, _("Choose what to do, and a valid date."))
        return redirect(back)
    data = form.cleaned_data
    try:
        services.enrolment_change(
            member=request.member, enrolment=enrolment, request=request, **data
        )
        if data["to"] == services.NEXT_PHASE:
            done = _("%(person)s moved on to “%(phase)s”.") % {
                "person": enrolment.person.latin_name,
                "phase": enrolment.phase.name,
            }
        else:
            done = _("%(person)s: %(status)s.") % {
                "person": enrolment.person.latin_name,
                "status": enrolment.get_status_display(),
            }
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    shown = request.POST.get("back_status")
    return redirect(f"{back}?status={shown if shown in EnrolmentStatus.values else 'active'}")


def person_section(request, person):
    """The person's programmes on their page, and a way to check eligibility for another."""
    member = request.member
    if not policy.can_view_programmes(member):
        return ""
    programmes = selectors.programmes_of(member).only("pk", "name")
    context = {
        "person": person,
        "enrolments": selectors.enrolments_of_person(member, person),
        "programmes": programmes if policy.can_enrol_person(member, person) else (),
    }
    return render_to_string("programmes/person_section.html", context, request=request)
