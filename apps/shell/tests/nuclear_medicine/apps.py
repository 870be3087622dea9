from __future__ import annotations

from apps.core.modules import DIAGNOSTICS, Module, PeriodicTask, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

RADIOGRAPHER = RoleSpec("radiographer", "Radiographer")
DOCTOR = RoleSpec("doctor", "Doctor")


class NuclearMedicineConfig(registry.TenantAppConfig):
    name = "apps.shell.tests.nuclear_medicine"
    label = "nuclear_medicine"
    hms_module = Module(
        key="nuclear_medicine",
        label="Nuclear medicine",
        url_name="nuclear_medicine:worklist",
        group=DIAGNOSTICS,
        order=90,
        description="Isotope scans and their reports.",
        roles=(RADIOGRAPHER, DOCTOR),
        periodic_tasks=(
            PeriodicTask(
                name="nuclear-medicine-remind-unreported",
                task="nuclear_medicine.remind_unreported",
                schedule=3600.0,
                options={"expires": 3600.0},
            ),
        ),
    )
