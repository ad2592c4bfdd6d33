from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from most.accounts.decorators import member_required
from most.lib.errors import Conflict
from most.people.services import person_view_audit

from . import policy, selectors, services
from .forms import CloseForm, EraseForm, LegalHoldForm, ReasonForm, RequestForm

RESTRICT_ID, HOLD_ID = "restrict_%s", "hold_%s"


def _contact(request):
    if not policy.can_handle_requests(request.member):
        raise Http404


def _person(request, pk):
    _contact(request)
    person = selectors.person_for(request.member, pk)
    if person is None:
        raise Http404
    return person


@require_GET
@member_required
def home(request):
    """The data protection contact's page: open requests by deadline, restricted and held
    records, answered requests."""
    _contact(request)
    history = Paginator(selectors.answered_requests(request.member), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "open_requests": selectors.open_requests(request.member),
        "kept": selectors.restricted_or_held(request.member),
        "page": history,
        "today": timezone.localdate(),
    }
    return render(request, "privacy/home.html", context)


@require_GET
@member_required
def records(request):
    _contact(request)
    context = {"records": selectors.records_of_processing()}
    return render(request, "privacy/records.html", context)


def _person_page(request, person, status=200, **forms):
    context = {
        "person": person,
        "requests": person.subject_requests.order_by("-received_on", "-pk"),
        "request_form": forms.get("request_form") or RequestForm(),
        "close_form": CloseForm(),
        # Two forms ask for a reason: ids of their own (auto_id), the same field names.
        "restrict_form": forms.get("restrict_form") or ReasonForm(auto_id=RESTRICT_ID),
        "hold_form": forms.get("hold_form") or LegalHoldForm(auto_id=HOLD_ID),
        "erase_form": forms.get("erase_form") or EraseForm(),
        "erasure_refusal": services.erasure_refusal(person),
        "errors": forms.get("errors", []),
        "today": timezone.localdate(),
    }
    return render(request, "privacy/person.html", context, status=status)


@require_GET
@member_required
def person(request, pk):
    person = _person(request, pk)
    person_view_audit(member=request.member, person=person, request=request, via="privacy")
    return _person_page(request, person)


def _done(request, person, message):
    messages.success(request, message)
    return redirect("privacy:person", person.pk)


@require_POST
@member_required
def request_new(request, pk):
    person = _person(request, pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_open(
                member=request.member, person=person, **form.cleaned_data, request=request
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _done(request, person, _("The request was recorded."))
    return _person_page(request, person, status=422, request_form=form)


@require_POST
@member_required
def request_close(request, pk):
    def close(subject_request, data):
        services.request_close(
            member=request.member, subject_request=subject_request, **data, request=request
        )

    return _on_request(request, pk, CloseForm, close, _("The request was answered."))


@require_POST
@member_required
def request_extend(request, pk):
    def extend(subject_request, data):
        services.request_extend(
            member=request.member,
            subject_request=subject_request,
            reason=data["reason"],
            request=request,
        )

    done = _("The deadline was extended. Tell the person why, within the first month.")
    return _on_request(request, pk, ReasonForm, extend, done)


def _on_request(request, pk, form_class, act, done):
    """Act on one of the organisation's requests with what the form posted; back to the
    person's page, with the message `done` or with what was wrong."""
    _contact(request)
    subject_request = selectors.request_for(request.member, pk)
    if subject_request is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(subject_request, form.cleaned_data)
        except ValidationError as error:
            errors = error.messages
        else:
            return _done(request, subject_request.person, done)
    else:
        errors = [message for messages_ in form.errors.values() for message in messages_]
    return _person_page(request, subject_request.person, status=422, errors=errors)


@require_POST
@member_required
def export(request, pk):
    person = _person(request, pk)
    try:
        job = services.export_start(member=request.member, person=person, request=request)
    except ValidationError as error:
        return _person_page(request, person, status=422, errors=error.messages)
    return redirect("jobs:detail", job.pk)


@require_POST
@member_required
def erase(request, pk):
    person = _person(request, pk)
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            services.person_erase(member=request.member, person=person, request=request)
        except Conflict as error:
            return _person_page(request, person, status=409, errors=[error.message])
        return _done(request, person, _("The person's data was erased."))
    return _person_page(request, person, status=422, erase_form=form)


@require_POST
@member_required
def restrict(request, pk):
    person = _person(request, pk)
    form = ReasonForm(request.POST, auto_id=RESTRICT_ID)
    if form.is_valid():
        try:
            services.person_restrict(
                member=request.member,
                person=person,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _done(request, person, _("The record is restricted."))
    return _person_page(request, person, status=422, restrict_form=form)


@require_POST
@member_required
def restriction_lift(request, pk):
    return _lift(request, pk, services.person_restriction_lift, _("The restriction was lifted."))


@require_POST
@member_required
def hold(request, pk):
    person = _person(request, pk)
    form = LegalHoldForm(request.POST, auto_id=HOLD_ID)
    if form.is_valid():
        try:
            services.legal_hold_set(
                member=request.member, person=person, **form.cleaned_data, request=request
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _done(request, person, _("The legal hold was recorded."))
    return _person_page(request, person, status=422, hold_form=form)


@require_POST
@member_required
def hold_lift(request, pk):
    return _lift(request, pk, services.legal_hold_lift, _("The legal hold was lifted."))


def _lift(request, pk, lift, done):
    person = _person(request, pk)
    try:
        lift(member=request.member, person=person, request=request)
    except ValidationError as error:
        return _person_page(request, person, status=422, errors=error.messages)
    return _done(request, person, done)
