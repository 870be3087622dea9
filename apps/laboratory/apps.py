from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import DIAGNOSTICS, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

LAB_TECHNICIAN = RoleSpec("lab_technician", _("Lab technician"))
DOCTOR = RoleSpec("doctor", _("Doctor"))


class LaboratoryConfig(registry.TenantAppConfig):
    name = "apps.laboratory"
    label = "laboratory"
    verbose_name = _("Laboratory")
    # Lab technicians run the lab; doctors order and read results.
    hms_module = Module(
        key="laboratory",
        label=_("Laboratory"),
        url_name="laboratory:index",
        group=DIAGNOSTICS,
        order=10,
        description=_("Order tests, collect samples, enter and approve results, print reports."),
        roles=(LAB_TECHNICIAN, DOCTOR),
        seeder="apps.laboratory.catalogue.seed",
        # after regions (10): the catalogue needs nothing of theirs, but keeps the order stable
        seed_order=40,
        billable_sources=("apps.laboratory.billing.source",),
        dashboard_tiles="apps.laboratory.dashboard.tiles",
        history="apps.laboratory.selectors.lab_history_entries",
        visit_section="apps.laboratory.visit.lab_visit_section",
        benchmarks="apps.laboratory.benchmarks.clinic_benchmarks",
    )
