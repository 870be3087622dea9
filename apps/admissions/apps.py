from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import CLINICAL, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))
RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))


class AdmissionsConfig(registry.TenantAppConfig):
    name = "apps.admissions"
    label = "admissions"
    verbose_name = _("Admissions")
    # Hospital administrators set up wards (they may use every module); doctors admit
    # and discharge; nurses look after the ward; reception admits.
    hms_module = Module(
        key="admissions",
        label=_("Wards and admissions"),
        url_name="admissions:admitted",
        group=CLINICAL,
        order=20,
        description=_("Beds, admissions, transfers, discharge and the nurses' ward work."),
        roles=(DOCTOR, NURSE, RECEPTIONIST),
        billable_sources=("apps.admissions.billing.source", "apps.admissions.billing.ward_doses"),
        dashboard_tiles="apps.admissions.dashboard.tiles",
        history="apps.admissions.history.admissions_of",
        benchmarks="apps.admissions.benchmarks.clinic_benchmarks",
        visit_section="apps.admissions.visit.admit_visit_section",
    )
