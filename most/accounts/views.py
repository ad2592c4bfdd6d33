from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from most.audit.models import AuditAction
from most.audit.services import audit_record
from most.lib.errors import NotAllowed

from . import services
from .decorators import member_required
from .forms import LoginForm, MemberAddForm
from .middleware import SESSION_KEY
from .models import Membership
from .policy import can_end_membership, can_manage_members, membership_for


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        member = membership_for(self.request.user)
        audit_record(
            actor=self.request.user,
            action=AuditAction.LOGIN,
            organisation=member.organisation if member else None,
            request=self.request,
        )
        return response


class PasswordForgotView(auth_views.PasswordResetView):
    """An e-mail with a link to choose a new password; the same answer whether or not the
    address has an account."""

    template_name = "accounts/password_forgot.html"
    email_template_name = "accounts/email/password_forgot.txt"
    subject_template_name = "accounts/email/password_forgot_subject.txt"
    success_url = reverse_lazy("accounts:password_forgot_sent")

    def form_valid(self, form):
        self.extra_email_context = {"site": settings.SITE_URL}  # the worker's address, too
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choosing a password from an invitation's or a "forgot password" e-mail's link."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")


@require_POST
def logout(request):
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action=AuditAction.LOGOUT,
            organisation=request.member.organisation if request.member else None,
            request=request,
        )
    return auth_views.LogoutView.as_view()(request)


@require_POST
@member_required
def switch_organisation(request):
    member = membership_for(request.user, request.POST.get("organisation"))
    if member is None:
        raise Http404
    request.session[SESSION_KEY] = member.organisation_id
    messages.success(request, _("You now work for %(org)s.") % {"org": member.organisation})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "people:list"
    return redirect(target)


def _members_page(request, form, status=200):
    members = (
        Membership.objects.filter(organisation=request.member.organisation, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    context = {
        "form": form,
        "members": [(m, can_end_membership(request.member, m)) for m in members],
    }
    return render(request, "accounts/member_list.html", context, status=status)


@require_GET
@member_required
def member_list(request):
    if not can_manage_members(request.member, request.member.organisation):
        raise Http404
    return _members_page(request, MemberAddForm())


@require_POST
@member_required
def member_add(request):
    if not can_manage_members(request.member, request.member.organisation):
        raise Http404
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, form, status=422)
    try:
        membership = services.member_add(
            member=request.member, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _members_page(request, form, status=422)
    except NotAllowed:
        raise Http404 from None
    messages.success(
        request,
        _("%(email)s was added. We sent them an e-mail saying how to start.")
        % {"email": membership.user.email},
    )
    return _members_page(request, MemberAddForm())


@require_POST
@member_required
def member_end(request, pk):
    if not can_manage_members(request.member, request.member.organisation):
        raise Http404
    membership = get_object_or_404(
        Membership, pk=pk, organisation=request.member.organisation, is_active=True
    )
    try:
        services.member_end(member=request.member, membership=membership, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s no longer has access.") % {"user": membership.user})
    return redirect("accounts:members")
