from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import PHARMACY_AND_STORES, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

PHARMACIST = RoleSpec("pharmacist", _("Pharmacist"))


class PharmacyConfig(registry.TenantAppConfig):
    name = "apps.pharmacy"
    label = "pharmacy"
    verbose_name = _("Pharmacy")
    # Hospital administrators may use every module anyway.
    hms_module = Module(
        key="pharmacy",
        label=_("Pharmacy"),
        url_name="pharmacy:medicines",
        group=PHARMACY_AND_STORES,
        order=10,
        description=_("Medicines, stock received in batches, sales and returns, stock alerts."),
        roles=(PHARMACIST,),
        billable_sources=("apps.pharmacy.billing.source",),
        dashboard_tiles="apps.pharmacy.dashboard.tiles",
        dashboard_series="apps.pharmacy.dashboard.series",
        history="apps.pharmacy.selectors.sales_history_of",
        benchmarks="apps.pharmacy.benchmarks.clinic_benchmarks",
        # maps the catalogue's medicines to the allergen list patients seeds first (20)
        seeder="apps.pharmacy.services.catalogue.seed",
        seed_order=50,
        formulary="apps.pharmacy.formulary.formulary",
    )
