from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class ConsultationsConfig(registry.TenantAppConfig):
    name = "apps.consultations"
    label = "consultations"
    verbose_name = "Consultations"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. Nurses record vitals; doctors hold the consultation.
    staff_module = registry.Module(
        key="consultations",
        label="Consultations",
        url_name="consultations:today",
        description="The doctor's patients of the day: vitals, notes, diagnoses, prescriptions.",
        roles=frozenset({"doctor", "nurse"}),
        order=30,
    )
    dashboard_tiles = "apps.consultations.dashboard.tiles"

    def ready(self) -> None:
        from apps.consultations.history import consultations_of
        from apps.patients import history

        history.register_provider("consultations", consultations_of)
