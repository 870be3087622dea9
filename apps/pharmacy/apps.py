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
    # maps the catalogue's medicines to the allergen list patients seeds first (20)
    reference_data_seeder = "apps.pharmacy.services.catalogue.seed"
    seed_order = 50
    billable_sources = ("apps.pharmacy.billing.source",)
    dashboard_tiles = "apps.pharmacy.dashboard.tiles"
    dashboard_series = "apps.pharmacy.dashboard.series"

    def ready(self) -> None:
        from apps.consultations import formulary
        from apps.patients import history
        from apps.pharmacy.formulary import PharmacyFormulary
        from apps.pharmacy.selectors import sales_history_of

        history.register_provider("pharmacy", sales_history_of)
        formulary.register(PharmacyFormulary())
