from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Tenancy makes each hospital's administrator through accounts' own services
        # without importing accounts: plugged in here, like tenant apps plug in modules.
        from apps.accounts.provisioning import HospitalAdmins
        from apps.tenancy import hooks

        hooks.hospital_admin_provider_set(HospitalAdmins())
