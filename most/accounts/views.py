from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from most.audit.models import AuditAction
from most.audit.services import audit_record
from most.lib.errors import NotAllowed
from most.web import add_errors

from . import services
from .decorators import (
    code_entered_required,
    member_required,
    second_factor_redirect,
    second_factor_url,
)
from .forms import (
    LoginForm,
    MemberAddForm,
    TwoFactorCodeForm,
    TwoFactorConfirmForm,
    TwoFactorRolesForm,
)
from .middleware import SESSION_KEY
from .models import Membership
from .policy import (
    SecondFactor,
    can_end_membership,
    can_manage_members,
    can_reset_two_factor,
    can_revoke_api_token,
    can_turn_off_two_factor,
    membership_for,
    second_factor_step,
    two_factor_enabled,
    two_factor_enabled_query,
    two_factor_required,
)


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

    def get_success_url(self):
        # The password is the first step; whoever has a second factor enters its code next
        # (and whoever must have one and has none sets it up), then goes where they were going.
        url = super().get_success_url()
        if step := second_factor_step(self.request.user):
            return second_factor_url(step, url)
        return url


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


def _members_page(request, form, status=200, roles_form=None):
    members = (
        Membership.objects.filter(organisation=request.member.organisation, is_active=True)
        .select_related("user")
        .annotate(
            two_factor_on=two_factor_enabled_query("user_id"),
            has_api_token=Exists(Token.objects.filter(user=OuterRef("user_id"))),
        )
        .order_by("user__full_name")
    )
    context = {
        "form": form,
        "roles_form": roles_form
        or TwoFactorRolesForm(initial={"roles": request.member.organisation.two_factor_roles}),
        "members": [
            (
                m,
                {
                    "end": can_end_membership(request.member, m),
                    "reset_two_factor": m.two_factor_on and can_reset_two_factor(request.member, m),
                    "revoke_token": m.has_api_token and can_revoke_api_token(request.member, m),
                },
            )
            for m in members
        ],
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
        add_errors(form, error)
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


@require_POST
@member_required
def two_factor_roles(request):
    if not can_manage_members(request.member, request.member.organisation):
        raise Http404
    form = TwoFactorRolesForm(request.POST)
    if not form.is_valid():
        return _members_page(request, MemberAddForm(), status=422, roles_form=form)
    services.two_factor_roles_set(
        member=request.member, roles=form.cleaned_data["roles"], request=request
    )
    messages.success(request, _("Saved: who signs in with a second factor."))
    return redirect("accounts:members")


def _member_of_my_organisation(request, pk):
    if not can_manage_members(request.member, request.member.organisation):
        raise Http404
    return get_object_or_404(
        Membership, pk=pk, organisation=request.member.organisation, is_active=True
    )


@require_POST
@member_required
def member_two_factor_reset(request, pk):
    membership = _member_of_my_organisation(request, pk)
    try:
        services.two_factor_reset(member=request.member, membership=membership, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(user)s's second factor was removed. They set up their authenticator app "
                "again when they next sign in."
            )
            % {"user": membership.user},
        )
    return redirect("accounts:members")


@require_POST
@member_required
def member_token_revoke(request, pk):
    membership = _member_of_my_organisation(request, pk)
    try:
        services.api_token_revoke(member=request.member, membership=membership, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s's API token no longer works.") % {"user": membership.user},
        )
    return redirect("accounts:members")


# --- Two-factor sign-in --------------------------------------------------------------------


def _next_url(request):
    """Where to go after the second step: the `next` the login passed on, if it is this site's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app, or a backup code."""
    next_url = _next_url(request)
    if request.second_factor == SecondFactor.ENROL:
        return second_factor_redirect(request, SecondFactor.ENROL, next_url)
    if request.second_factor is None:
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.two_factor_verify(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            # A new session key for the session that now may work, as at the first step.
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(next_url)
    context = {"form": form, "next": next_url}
    return render(
        request, "accounts/two_factor_verify.html", context, status=422 if form.errors else 200
    )


def _setup_context(device):
    """The QR code and the same key as text, for an app that cannot scan (or a person who cannot
    see the code): in groups of four, as the apps ask for it."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    qr_code = segno.make(device.config_url, error="m")
    # A data: URI, which the Content Security Policy allows for images (img-src), not inline.
    return {
        "qr_code": qr_code.svg_data_uri(scale=4, dark="#000", light="#fff"),
        "qr_size": qr_code.symbol_size(scale=4)[0],
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
    }


@require_http_methods(["GET", "POST"])
@code_entered_required
def two_factor(request):
    """One's own two-factor sign-in: set it up (scan, then confirm with a first code); once on,
    see it, make new backup codes, or turn it off where that is allowed."""
    user = request.user
    next_url = _next_url(request)
    if two_factor_enabled(user):
        if request.method == "POST":
            return redirect("accounts:two_factor")
        context = {
            "backup_codes_left": services.backup_codes_left(user),
            "can_turn_off": can_turn_off_two_factor(user),
        }
        return render(request, "accounts/two_factor.html", context)
    device = services.two_factor_setup(user=user, member=request.member, request=request)
    form = TwoFactorConfirmForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.two_factor_confirm(
                user=user,
                device=device,
                code=form.cleaned_data["code"],
                member=request.member,
                request=request,
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            otp_login(request, device)  # this session has just shown a code from the app
            context = {"codes": codes, "next": next_url, "first": True}
            return render(request, "accounts/two_factor_codes.html", context)
    context = {
        "form": form,
        "next": next_url,
        "required": two_factor_required(user),
        **_setup_context(device),
    }
    return render(
        request, "accounts/two_factor_setup.html", context, status=422 if form.errors else 200
    )


@require_POST
@code_entered_required
def two_factor_backup_codes(request):
    try:
        codes = services.two_factor_backup_codes_renew(
            user=request.user, member=request.member, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_factor")
    context = {"codes": codes, "next": resolve_url("accounts:two_factor"), "first": False}
    return render(request, "accounts/two_factor_codes.html", context)


@require_POST
@code_entered_required
def two_factor_turn_off(request):
    try:
        services.two_factor_turn_off(user=request.user, member=request.member, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off: the password alone signs in."))
    return redirect("accounts:two_factor")


# --- API token -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def api_token(request):
    """Whether one has an API token, and a new one (in place of the old); the key is shown
    once, in the answer to the POST that made it."""
    new_key = None
    if request.method == "POST":
        new_key = services.api_token_create(member=request.member, request=request).key
    created = Token.objects.filter(user=request.user).values_list("created", flat=True).first()
    return render(request, "accounts/api_token.html", {"new_key": new_key, "created": created})
