from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import ADMINISTRATION, Module

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class RegionsConfig(registry.TenantAppConfig):
    name = "apps.regions"
    label = "regions"
    verbose_name = _("Regions and reference data")
    # No roles: hospital admins (always allowed) are the only ones who manage the
    # hospital's own reference data.
    hms_module = Module(
        key="reference",
        label=_("Reference data"),
        url_name="reference:index",
        group=ADMINISTRATION,
        order=10,
        description=_("Regions, cities, clinics and specializations of this hospital."),
        seeder="apps.regions.reference_data.seed",
        seed_order=10,
    )
