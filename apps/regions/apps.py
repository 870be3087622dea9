from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from django.utils.translation import gettext_lazy as _

from apps.tenancy import registry


class RegionsConfig(registry.TenantAppConfig):
    name = "apps.regions"
    label = "regions"
    verbose_name = _("Regions and reference data")
    reference_data_seeder = "apps.regions.reference_data.seed"
    seed_order = 10
    # No roles: hospital admins (always allowed) are the only ones who manage the
    # hospital's own reference data.
    staff_module = registry.Module(
        key="reference",
        label=_("Reference data"),
        url_name="reference:index",
        description=_("Regions, cities, clinics and specializations of this hospital."),
        order=90,
    )
