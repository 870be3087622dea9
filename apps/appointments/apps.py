from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from apps.core.modules import FRONT_DESK, Module, PeriodicTask, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))
DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))


class AppointmentsConfig(registry.TenantAppConfig):
    name = "apps.appointments"
    label = "appointments"
    verbose_name = _("Appointments")
    # The front desk books; clinicians follow the day.
    hms_module = Module(
        key="appointments",
        label=_("Appointments"),
        url_name="appointments:today",
        group=FRONT_DESK,
        order=20,
        description=_("Book patients into doctors' hours, check them in, follow the day."),
        roles=(RECEPTIONIST, DOCTOR, NURSE),
        billable_sources=("apps.appointments.billing.source",),
        dashboard_tiles="apps.appointments.dashboard.tiles",
        dashboard_series="apps.appointments.dashboard.series",
        history="apps.appointments.history.appointments_of",
        benchmarks="apps.appointments.benchmarks.clinic_benchmarks",
        periodic_tasks=(
            # Every hour at a quarter past: appointments of past days nobody came to
            # become No-show in every ready hospital, "past" by each hospital's own clock
            # (its task runs in its time zone). Hourly, because hospitals' midnights fall
            # at different UTC hours; a run finding nothing past is a cheap no-op.
            PeriodicTask(
                name="mark-appointment-no-shows",
                task="appointments.mark_no_shows_everywhere",
                schedule=crontab(minute=15),
                options={"expires": 6 * 3600.0},
            ),
        ),
    )
