from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class AdmissionsConfig(registry.TenantAppConfig):
    name = "apps.admissions"
    label = "admissions"
    verbose_name = "Admissions"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. Hospital administrators set up wards (they may use every
    # module); doctors admit and discharge; nurses look after the ward; reception admits.
    staff_module = registry.Module(
        key="admissions",
        label=_("Wards and admissions"),
        url_name="admissions:admitted",
        description=_("Beds, admissions, transfers, discharge and the nurses' ward work."),
        roles=frozenset({"doctor", "nurse", "receptionist"}),
        order=40,
    )
    billable_sources = ("apps.admissions.billing.source",)
    dashboard_tiles = "apps.admissions.dashboard.tiles"

    def ready(self) -> None:
        from apps.admissions.history import admissions_of
        from apps.patients import history

        history.register_provider("admissions", admissions_of)
