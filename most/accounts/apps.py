from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "most.accounts"
    label = "accounts"
