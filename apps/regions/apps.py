from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class RegionsConfig(registry.TenantAppConfig):
    name = "apps.regions"
    label = "regions"
    verbose_name = "Regions and reference data"
    reference_data_seeder = "apps.regions.reference_data.seed"
    seed_order = 10
