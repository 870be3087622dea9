from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class PatientsConfig(registry.TenantAppConfig):
    name = "apps.patients"
    label = "patients"
    verbose_name = "Patients"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. The front desk registers; clinicians and billing look up.
    staff_module = registry.Module(
        key="patients",
        label="Patients",
        url_name="patients:list",
        description="Register patients and find them by name, patient number or phone.",
        roles=frozenset({"receptionist", "doctor", "nurse", "accountant"}),
        order=10,
    )
