from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class AppointmentsConfig(registry.TenantAppConfig):
    name = "apps.appointments"
    label = "appointments"
    verbose_name = "Appointments"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. The front desk books; clinicians follow the day.
    staff_module = registry.Module(
        key="appointments",
        label="Appointments",
        url_name="appointments:today",
        description="Book patients into doctors' hours, check them in, follow the day.",
        roles=frozenset({"receptionist", "doctor", "nurse"}),
        order=20,
    )
    billable_sources = ("apps.appointments.billing.source",)
    dashboard_tiles = "apps.appointments.dashboard.tiles"
    dashboard_series = "apps.appointments.dashboard.series"

    def ready(self) -> None:
        from apps.appointments.history import appointments_of
        from apps.patients import history

        history.register_provider("appointments", appointments_of)
