"""The referral pages: inbox and outbox, a new referral, one referral with its answers, the
notices. Thin: the policy decides, the selectors read, the services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from most.accounts.decorators import member_required
from most.audit.models import AuditAction
from most.audit.services import audit_member
from most.lib.errors import Conflict, NotAllowed
from most.lib.spreadsheet import XLSX_TYPE, csv_lines, xlsx_bytes
from most.people import selectors as people
from most.people.services import person_view_audit, persons_shown_audit
from most.web import add_errors, get_or_404

from . import figures, policy, selectors, services
from .forms import AnswerForm, FilterForm, ReferralForm, asks_for_answer, field_label
from .models import State
from .workflow import TRANSITIONS


def _must_view(member):
    if not policy.can_view_referrals(member):
        raise Http404


def _box(request, *, receiving):
    member = request.member
    _must_view(member)
    views = selectors.INBOX_VIEWS if receiving else selectors.OUTBOX_VIEWS
    view = request.GET.get("view")
    view = view if view in views else views[0]
    form = FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(view=view, q=data.get("q", ""), urgency=data.get("urgency", ""))
    referrals = (selectors.inbox if receiving else selectors.outbox)(member, filters)
    page = Paginator(referrals, selectors.PER_PAGE).get_page(request.GET.get("page"))
    named = selectors.fields_shown(member, page.object_list)
    services.persons_listed_audit(
        member=member,
        referrals=page.object_list,
        shown=named,
        description=f"referrals {'inbox' if receiving else 'outbox'}: {filters.q}",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "receiving": receiving,
        "view": view,
        "views": views,
        "page": page,
        "rows": [(r, r.pk in named) for r in page.object_list],
        "form": form,
        "query_string": query.urlencode(),
        "counts": selectors.inbox_counts(member) if receiving else None,
        "can_export": receiving and policy.can_export_referrals(member),
        "can_figures": policy.can_view_figures(member),
    }
    return render(request, "referrals/box.html", context)


@require_GET
@member_required
def inbox(request):
    return _box(request, receiving=True)


@require_GET
@member_required
def outbox(request):
    return _box(request, receiving=False)


def _form_page(request, person, referral=None):
    """The referral's form: find a service (without JavaScript too), then send or keep a draft."""
    member = request.member
    initial = {}
    if referral is not None:
        initial = {
            "service": referral.service_id,
            "receiver": referral.receiver_id if not referral.service_id else None,
            "reason": referral.reason,
            "urgency": referral.urgency,
            "note": referral.note,
            "fields": referral.fields,
            "version": referral.version,
        }
    posted = request.method == "POST"
    form = ReferralForm(request.POST if posted else None, member=member, initial=initial)
    finding = posted and "find" in request.POST
    if posted and not finding and form.is_valid():
        send = "send" in request.POST
        try:
            if referral is None:
                referral = services.referral_create(
                    member=member,
                    person=person,
                    data=form.referral_data(),
                    send=send,
                    consent=form.consent_fields() if send else None,
                    request=request,
                )
            else:
                referral = _update(request, referral, form, send)
        except ValidationError as error:
            add_errors(form, error)
        except (Conflict, NotAllowed) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The referral was sent to %(org)s.") % {"org": referral.receiver}
                if send
                else _("The referral was saved as a draft."),
            )
            return redirect("referrals:detail", referral.pk)
    query = (request.POST if posted else request.GET).get("service_query", "")
    chosen = form["service"].value() or (referral.service_id if referral else None)
    found = selectors.services_to_refer_to(member, query) if query else []
    chosen_service = _chosen_service(member, chosen, found)
    context = {
        "person": person,
        "referral": referral,
        "form": form,
        "found": found,
        "searched": bool(query),
        "chosen": chosen_service,
        "consents": selectors.sharing_consents(person, member.organisation_id),
        "identity": [field_label(name) for name in ("given_name", "family_name")],
    }
    status = 422 if posted and not finding else 200
    return render(request, "referrals/form.html", context, status=status)


def _chosen_service(member, chosen, found):
    if not chosen:
        return None
    for service in found:
        if str(service.pk) == str(chosen):
            return service
    try:
        return selectors.service_by_id(chosen)
    except (ValueError, ValidationError):
        return None


def _update(request, referral, form, send):
    version = form.cleaned_data.get("version") or referral.version
    referral = services.referral_update(
        member=request.member,
        referral=referral,
        data=form.referral_data(),
        version=version,
        request=request,
    )
    if send:
        services.referral_send(
            member=request.member,
            referral=referral,
            version=referral.version,
            consent=form.consent_fields(),
            request=request,
        )
    return referral


@require_http_methods(["GET", "POST"])
@member_required
def create(request, person):
    person = get_or_404(people.person_for, request.member, person)
    if not policy.can_refer(request.member, person):
        raise Http404
    return _form_page(request, person)


@require_http_methods(["GET", "POST"])
@member_required
def edit(request, pk):
    referral = get_or_404(selectors.referral_for, request.member, pk)
    if not policy.can_edit_draft(request.member, referral):
        raise Http404
    return _form_page(request, referral.person, referral)


@require_GET
@member_required
def detail(request, pk):
    member = request.member
    referral = get_or_404(selectors.referral_for, member, pk)
    person = referral.person
    named = referral.pk in selectors.fields_shown(member, [referral])
    if named:
        person_view_audit(member=member, person=person, request=request, via="referral")
    services.notifications_read(member=member, referral=referral)
    own = person.organisation_id == member.organisation_id
    transitions = policy.allowed_transitions(member, referral)
    context = {
        "referral": referral,
        "person": person,
        "named": named,
        "own": own,
        # What the receiver sees of the person: the fields the referral's grant shares.
        "shared": people.shared_data(member, person) if named and not own else None,
        "events": selectors.events_of(referral),
        "transitions": [
            (t, AnswerForm(transition=t, auto_id=f"{t.name}-%s") if asks_for_answer(t) else None)
            for t in transitions
            if t.name != "send"
        ],
        "can_edit": policy.can_edit_draft(member, referral),
        "can_print": policy.can_print_letter(member, referral),
        "shared_labels": [field_label(name) for name in referral.fields],
        "reason_label": selectors.reason_label(referral),
        "consent_ended": referral.consent is not None and not referral.consent.is_valid_today,
        "overdue": referral.is_overdue,
    }
    return render(request, "referrals/detail.html", context)


@require_POST
@member_required
def transition(request, pk, action):
    member = request.member
    referral = get_or_404(selectors.referral_for, member, pk)
    if action not in TRANSITIONS or action == "send":
        raise Http404
    transition = TRANSITIONS[action]
    form = AnswerForm(request.POST, transition=transition) if asks_for_answer(transition) else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("referrals:detail", referral.pk)
    data = form.cleaned_data if form is not None else {}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = referral.version
    try:
        services.referral_transition(
            member=member,
            referral=referral,
            name=action,
            version=version,
            reason=data.get("reason", ""),
            note=data.get("note", ""),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except NotAllowed:
        raise Http404 from None
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DONE[action] % {"org": referral.receiver})
    return redirect("referrals:detail", referral.pk)


DONE = {
    "withdraw": gettext_lazy("The referral was withdrawn."),
    "accept": gettext_lazy("Accepted: the person's shared data is on this page."),
    "decline": gettext_lazy("The referral was declined; the sender was told why."),
    "start": gettext_lazy("Work on the referral has started."),
    "complete": gettext_lazy("The referral was completed; the sender sees your feedback."),
    "close": gettext_lazy("The referral was closed without result; the sender was told why."),
}


@require_GET
@member_required
def notifications(request):
    member = request.member
    _must_view(member)
    notices = policy.notifications_of(member).select_related(
        "referral__sender", "referral__receiver"
    )
    page = Paginator(notices, selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "referrals/notifications.html", {"page": page, "query_string": ""})


@require_POST
@member_required
def notifications_read(request):
    _must_view(request.member)
    services.notifications_read(member=request.member)
    return redirect("referrals:notifications")


@require_GET
@member_required
def export(request):
    """The inbox as CSV: each referral, and of its person only what the receiver may see."""
    member = request.member
    if not policy.can_export_referrals(member):
        raise Http404
    form = FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    view = request.GET.get("view")
    view = view if view in selectors.INBOX_VIEWS else "all"
    filters = selectors.Filters(view=view, q=data.get("q", ""), urgency=data.get("urgency", ""))
    header, rows, person_ids = selectors.inbox_export_rows(member, filters)
    persons_shown_audit(
        member=member,
        action=AuditAction.EXPORT,
        description=f"referrals inbox csv: {filters.q}",
        person_ids=person_ids,
        total=len(person_ids),
        request=request,
    )
    name = f"referrals-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def person_section(request, person):
    """The person's referrals on their page, and the way to refer them."""
    member = request.member
    if not policy.can_view_referrals(member):
        return ""
    context = {
        "person": person,
        "referrals": selectors.referrals_of_person(member, person),
        "can_refer": policy.can_refer(member, person),
        "state_sent": State.SENT,
    }
    return render_to_string("referrals/person_section.html", context, request=request)


def _figures(request):
    if not policy.can_view_figures(request.member):
        raise Http404
    return figures.referral_figures(request.member, request.GET.get("months", ""))


@require_GET
@member_required
def figures_page(request):
    data = _figures(request)
    context = {
        **data,
        "columns": figures.COLUMNS,
        "tables": [
            (_("Received, by service"), data["by_service"], _("Service")),
            (_("Sent, by receiving organisation"), data["by_receiver"], _("Organisation")),
        ],
    }
    return render(request, "referrals/figures.html", context)


@require_GET
@member_required
def figures_export(request, kind):
    if kind not in ("csv", "xlsx"):
        raise Http404
    data = _figures(request)
    header, rows = figures.export_rows(data)
    audit_member(
        request.member,
        AuditAction.EXPORT,
        object_type="referrals.figures",
        object_repr=f"referral figures, {data['period']} months",
        facts={"figures": kind, "rows": len(rows)},
        request=request,
    )
    name = f"referral-figures-{timezone.localdate().isoformat()}"
    if kind == "csv":
        response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    else:
        response = HttpResponse(xlsx_bytes(header, rows, _("Referrals")), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
