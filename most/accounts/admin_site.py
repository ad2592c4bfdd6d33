"""Django's admin site, asking for the second factor as the workspace does.

Without this, the admin's own login form (a password alone) or a session that has not entered
its code yet would open the admin, where a platform administrator can change every user.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .decorators import second_factor_redirect
from .policy import second_factor_step


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and second_factor_step(request.user) is None

    def login(self, request, extra_context=None):
        """One way to sign in, the workspace's (password, then code); the admin's own page
        is left for a signed-in user the admin is not for, whom it tells so."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, reverse("accounts:login"))
        if step := second_factor_step(request.user):
            return second_factor_redirect(request, step, next_url)
        return super().login(request, extra_context)
