from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from apps.core.modules import CLINICAL, Module, PeriodicTask, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))
RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))


class EmergencyConfig(registry.TenantAppConfig):
    name = "apps.emergency"
    label = "emergency"
    verbose_name = _("Emergency department")
    # Reception registers arrivals (an unknown patient included); nurses triage;
    # doctors call, treat and decide the outcome.
    hms_module = Module(
        key="emergency",
        label=_("Emergency department"),
        url_name="emergency:board",
        group=CLINICAL,
        order=5,
        description=_("Arrivals, unknown patients, SATS triage and the emergency board."),
        roles=(DOCTOR, NURSE, RECEPTIONIST),
        dashboard_tiles="apps.emergency.dashboard.tiles",
        history="apps.emergency.history.visits_of",
        periodic_tasks=(
            # hourly: visits still waiting a day after arrival leave the board as expired
            PeriodicTask(
                name="expire-emergency-waiting",
                task="emergency.expire_waiting_everywhere",
                schedule=crontab(minute=25),
                options={"expires": 3600.0},
            ),
        ),
    )
