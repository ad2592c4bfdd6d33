from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
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
]
