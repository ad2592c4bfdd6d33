from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("logout/", views.logout, name="logout"),
    path("password/forgot/", views.PasswordForgotView.as_view(), name="password_forgot"),
    path(
        "password/forgot/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_forgot_sent.html"
        ),
        name="password_forgot_sent",
    ),
    path("password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_set_done.html"
        ),
        name="password_set_done",
    ),
    path("organisation/", views.switch_organisation, name="switch"),
    path("members/", views.member_list, name="members"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("members/two-factor/", views.two_factor_roles, name="member_two_factor_roles"),
    path(
        "members/<int:pk>/two-factor/reset/",
        views.member_two_factor_reset,
        name="member_two_factor_reset",
    ),
    path("members/<int:pk>/token/revoke/", views.member_token_revoke, name="member_token_revoke"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("token/", views.api_token, name="api_token"),
]
