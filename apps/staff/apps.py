from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class StaffConfig(registry.TenantAppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = "Staff"
