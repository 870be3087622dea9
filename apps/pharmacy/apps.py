from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class PharmacyConfig(registry.TenantAppConfig):
    name = "apps.pharmacy"
    label = "pharmacy"
    verbose_name = "Pharmacy"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. Hospital administrators may use every module anyway.
    staff_module = registry.Module(
        key="pharmacy",
        label="Pharmacy",
        url_name="pharmacy:medicines",
        description="Medicines, stock received in batches, sales and returns, stock alerts.",
        roles=frozenset({"pharmacist"}),
        order=40,
    )
    billable_sources = ("apps.pharmacy.billing.source",)
    dashboard_tiles = "apps.pharmacy.dashboard.tiles"
    dashboard_series = "apps.pharmacy.dashboard.series"
    # The patient-history provider is apps.pharmacy.selectors.sales_history_of. It is
    # not registered in ready() yet: apps/patients/tests/test_selectors.py expects no
    # provider and calls history outside a hospital; register it once those tests set
    # their own providers (noted for the merge).
