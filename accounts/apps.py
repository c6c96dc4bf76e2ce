from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff roles (groups of permissions) and the local admin account."""

    name = "accounts"
    verbose_name = "Accounts"
