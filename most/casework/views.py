from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.lib.errors import Conflict, NotAllowed
from most.people import selectors as people
from most.people.services import person_view_audit
from most.web import add_errors, get_or_404

from . import policy, selectors, services
from .forms import (
    AssessmentForm,
    CounsellingForm,
    GoalActionForm,
    GoalForm,
    GoalStatusForm,
    OutcomeForm,
    PsychosocialForm,
)
from .models import Goal
from .taxonomy import GoalStatus


def _person(request, pk, allowed):
    person = get_or_404(people.person_for, request.member, pk)
    if not allowed(request.member, person):
        raise Http404
    return person


def _casework_url(person):
    return reverse("casework:person", args=[person.pk])


@require_GET
@member_required
def person_casework(request, pk):
    person = _person(request, pk, policy.can_view_casework)
    person_view_audit(member=request.member, person=person, request=request, via="casework")
    can_manage = policy.can_manage_casework(request.member, person)
    context = {
        "person": person,
        **selectors.casework_of(request.member, person),
        "can_manage": can_manage,
        "can_psychosocial": policy.can_view_psychosocial(request.member, person),
        "can_record_psychosocial": policy.can_record_psychosocial(request.member, person),
        "goal_form": GoalForm(),
        "goal_statuses": GoalStatus.choices,
    }
    context["goal_rows"] = [
        (goal, GoalActionForm(member=request.member, auto_id=f"action-{goal.pk}-%s"))
        for goal in context["goals"]
    ]
    return render(request, "casework/person.html", context)


def _add_page(request, pk, *, allowed, form_class, save, title, template="casework/form.html"):
    """A page with one form that adds one record to the person's casework."""
    person = _person(request, pk, allowed)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(request, person, form)
        except ValidationError as error:
            add_errors(form, error)
        except NotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(_casework_url(person))
    status = 422 if request.method == "POST" else 200
    context = {"person": person, "form": form, "title": title}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def assessment_add(request, pk):
    def save(request, person, form):
        services.assessment_record(
            member=request.member,
            person=person,
            assessed_on=form.cleaned_data["assessed_on"],
            note=form.cleaned_data["note"],
            scores=form.scores(),
            request=request,
        )

    return _add_page(
        request,
        pk,
        allowed=policy.can_manage_casework,
        form_class=AssessmentForm,
        save=save,
        title=_("Needs assessment"),
        template="casework/assessment_form.html",
    )


def _record_page(record, allowed, form_class, title):
    """The page that adds one record made by `record(member=, person=, fields=, request=)`."""

    @require_http_methods(["GET", "POST"])
    @member_required
    def view(request, pk):
        def save(request, person, form):
            record(member=request.member, person=person, fields=form.cleaned_data, request=request)

        return _add_page(
            request, pk, allowed=allowed, form_class=form_class, save=save, title=title
        )

    return view


counselling_add = _record_page(
    services.counselling_record,
    policy.can_manage_casework,
    CounsellingForm,
    gettext_lazy("Counselling session"),
)
psychosocial_add = _record_page(
    services.psychosocial_record,
    policy.can_record_psychosocial,
    PsychosocialForm,
    gettext_lazy("Psychosocial support"),
)
outcome_add = _record_page(
    services.outcome_record, policy.can_manage_casework, OutcomeForm, gettext_lazy("Outcome")
)


@require_POST
@member_required
def goal_add(request, pk):
    person = _person(request, pk, policy.can_manage_casework)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(
                member=request.member, person=person, fields=form.cleaned_data, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The goal was added to the plan."))
    else:
        messages.error(request, _("Write the goal."))
    return redirect(_casework_url(person) + "#h-plan")


def _goal(request, pk):
    goal = Goal.objects.select_related("person").filter(pk=pk).first()
    if goal is None or goal.organisation_id != request.member.organisation_id:
        raise Http404
    _person(request, goal.person_id, policy.can_manage_casework)
    return goal


@require_POST
@member_required
def goal_status(request, pk):
    goal = _goal(request, pk)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.goal_set_status(
                member=request.member,
                goal=goal,
                status=form.cleaned_data["status"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except (ValidationError, Conflict) as error:
            text = error.message if isinstance(error, Conflict) else " ".join(error.messages)
            messages.error(request, text)
        else:
            messages.success(request, _("The goal's status was changed."))
    return redirect(_casework_url(goal.person) + "#h-plan")


@require_POST
@member_required
def goal_action_add(request, pk):
    goal = _goal(request, pk)
    form = GoalActionForm(request.POST, member=request.member)
    if form.is_valid():
        try:
            services.goal_action_add(
                member=request.member, goal=goal, fields=form.cleaned_data, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action was added."))
    else:
        messages.error(request, _("Describe the action, and choose who takes it from the list."))
    return redirect(_casework_url(goal.person) + "#h-plan")


def person_section(request, person):
    """The link to the person's casework on their page, with its latest needs assessment."""
    if not policy.can_view_casework(request.member, person):
        return ""
    context = {"person": person, "can_manage": policy.can_manage_casework(request.member, person)}
    return render_to_string("casework/person_section.html", context, request=request)
