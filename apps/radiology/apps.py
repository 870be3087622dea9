from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import DIAGNOSTICS, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

RADIOLOGIST = RoleSpec("radiologist", _("Radiologist"))
DOCTOR = RoleSpec("doctor", _("Doctor"))


class RadiologyConfig(registry.TenantAppConfig):
    name = "apps.radiology"
    label = "radiology"
    verbose_name = _("Radiology")
    # Radiologists run the department (perform, report, verify); doctors order and read.
    hms_module = Module(
        key="radiology",
        label=_("Radiology"),
        url_name="radiology:index",
        group=DIAGNOSTICS,
        order=20,
        description=_("Order imaging, work the modality worklists, report and verify studies."),
        roles=(RADIOLOGIST, DOCTOR),
        seeder="apps.radiology.catalogue.seed",
        seed_order=45,
        billable_sources=("apps.radiology.billing.source",),
        dashboard_tiles="apps.radiology.dashboard.tiles",
        history="apps.radiology.selectors.radiology_history_entries",
        visit_section="apps.radiology.visit.radiology_visit_section",
        benchmarks="apps.radiology.benchmarks.clinic_benchmarks",
    )
