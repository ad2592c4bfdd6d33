from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "most.accounts"
    label = "accounts"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that asks for the second factor as the workspace does
    (admin_site.py); listed in INSTALLED_APPS in place of django.contrib.admin."""

    default = False  # not the configuration of most.accounts itself
    default_site = "most.accounts.admin_site.AdminSite"
