from __future__ import annotations

from apps.core.modules import DIAGNOSTICS, Module, PeriodicTask, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

RADIOGRAPHER = RoleSpec("radiographer", "Radiographer")
DOCTOR = RoleSpec("doctor", "Doctor")


class RadiologyConfig(registry.TenantAppConfig):
    name = "apps.shell.tests.radiology"
    label = "radiology"
    hms_module = Module(
        key="radiology",
        label="Radiology",
        url_name="radiology:worklist",
        group=DIAGNOSTICS,
        order=20,
        description="Imaging orders and reports.",
        roles=(RADIOGRAPHER, DOCTOR),
        periodic_tasks=(
            PeriodicTask(
                name="radiology-remind-unreported",
                task="radiology.remind_unreported",
                schedule=3600.0,
                options={"expires": 3600.0},
            ),
        ),
    )
