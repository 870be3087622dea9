from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class LaboratoryConfig(registry.TenantAppConfig):
    name = "apps.laboratory"
    label = "laboratory"
    verbose_name = _("Laboratory")
    reference_data_seeder = "apps.laboratory.catalogue.seed"
    # after regions (10): the catalogue needs nothing of theirs, but keeps the order stable
    seed_order = 40
    billable_sources = ("apps.laboratory.billing.source",)
    dashboard_tiles = "apps.laboratory.dashboard.tiles"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. Lab technicians run the lab; doctors order and read results.
    staff_module = registry.Module(
        key="laboratory",
        label=_("Laboratory"),
        url_name="laboratory:index",
        description=_("Order tests, collect samples, enter and approve results, print reports."),
        roles=frozenset({"lab_technician", "doctor"}),
        order=40,
    )

    def ready(self) -> None:
        from apps.core import visit_sections
        from apps.laboratory.selectors import lab_history_entries
        from apps.laboratory.visit import lab_visit_section
        from apps.patients import history

        history.register_provider("laboratory", lab_history_entries)
        visit_sections.register_provider("laboratory", lab_visit_section)
