"""The Django admin: every write it can make is audited, and what it must not change, it shows only.

DESIGN.md: every write goes through a service, the Django admin included. A model's admin page is
either an AuditedModelAdmin (each save and delete, inlines included, goes through
services.admin_save / admin_delete / admin_formset_save, which write the audit entry in the
same transaction) or a ReadOnlyModelAdmin. The admin pages other apps register (Django's groups,
DRF's tokens, django-otp's devices, django-axes' logs, the job queue) are made read-only below;
accounts/tests/test_admin_audited.py fails for any admin page that can write without an entry.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from . import services
from .forms import TwoFactorRolesForm
from .models import Membership, Organisation, User


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Shows, never changes: no adding, changing, deleting, nor actions (which may write)."""

    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Every save and delete, of the object and of its inlines, with an audit entry of the fields
    it changed, before and after. `audit_secret_fields` are recorded as "changed", never by
    value."""

    audit_secret_fields = ()

    def save_model(self, request, obj, form, change):
        services.admin_save(
            user=request.user,
            obj=obj,
            save=lambda: super(AuditedModelAdmin, self).save_model(request, obj, form, change),
            secret_fields=self.audit_secret_fields,
            request=request,
        )

    def delete_model(self, request, obj):
        services.admin_delete(
            user=request.user,
            obj=obj,
            delete=lambda: super(AuditedModelAdmin, self).delete_model(request, obj),
            secret_fields=self.audit_secret_fields,
            request=request,
        )

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one entry per object, as if deleted one by one.
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        services.admin_formset_save(
            user=request.user,
            formset=formset,
            save=lambda: super(AuditedModelAdmin, self).save_formset(
                request, form, formset, change
            ),
            request=request,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class DeactivatedNotDeleted:
    """Users and organisations are deactivated ("active"), never deleted: the audit trail
    points at them (models.PROTECT) and must stay whole."""

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationForm(forms.ModelForm):
    two_factor_roles = TwoFactorRolesForm.base_fields["roles"]  # as on the members page

    class Meta:
        model = Organisation
        fields = ("name", "type", "municipality", "email", "phone", "is_active", "two_factor_roles")


@admin.register(Organisation)
class OrganisationAdmin(DeactivatedNotDeleted, AuditedModelAdmin):
    form = OrganisationForm
    list_display = ("name", "type", "municipality", "is_active")
    list_filter = ("type", "is_active")
    search_fields = ("name",)


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DeactivatedNotDeleted, AuditedModelAdmin, BaseUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    inlines = [MembershipInline]
    audit_secret_fields = ("password",)

    def user_change_password(self, request, id, form_url=""):
        # The password page saves its form itself, not through save_model.
        target = self.get_object(request, unquote(id))
        if request.method != "POST" or target is None:
            return super().user_change_password(request, id, form_url)
        return services.admin_save(
            user=request.user,
            obj=target,
            save=lambda: super(UserAdmin, self).user_change_password(request, id, form_url),
            secret_fields=self.audit_secret_fields,
            request=request,
        )


def _read_only(model, **attributes):
    """Register another app's admin page for `model` again, read-only (and with `attributes`)."""
    registered = admin.site.get_model_admin(model)
    admin.site.unregister(model)
    name = f"ReadOnly{type(registered).__name__}"
    admin.site.register(model, type(name, (ReadOnlyModelAdmin, type(registered)), attributes))


# Roles are memberships; Django's groups and permissions are not used.
_read_only(Group)
# A token's key is a password: the list shows whose token it is, never the key. A member makes
# their own token, and their administrator revokes it, on the members page (audited there).
_read_only(TokenProxy, list_display=("user", "created"), fields=("user", "created"))
# Second factors are set up by their owner and reset by the organisation's administrator, both
# audited; no key, QR code or backup code is shown here (OTP_ADMIN_HIDE_SENSITIVE_DATA).
_read_only(TOTPDevice)
_read_only(StaticDevice)
# The login throttle's records and the job queue are written by the application only.
for _label in (
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
):
    _read_only(apps.get_model(_label))
