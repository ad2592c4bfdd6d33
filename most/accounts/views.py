from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
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
from .policy import can_manage_members, membership_for


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


def _members_page(request, form, status=200, new_password=None):
    members = (
        Membership.objects.filter(organisation=request.member.organisation, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    context = {"form": form, "members": members, "new_password": new_password}
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
        membership, password = services.member_add(
            member=request.member, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _members_page(request, form, status=422)
    except NotAllowed:
        raise Http404 from None
    messages.success(request, _("%(user)s was added.") % {"user": membership.user})
    return _members_page(request, MemberAddForm(), new_password=password)


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
