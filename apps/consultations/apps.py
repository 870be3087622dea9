from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import CLINICAL, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))


class ConsultationsConfig(registry.TenantAppConfig):
    name = "apps.consultations"
    label = "consultations"
    verbose_name = _("Consultations")
    # Nurses record vitals; doctors hold the consultation.
    hms_module = Module(
        key="consultations",
        label=_("Consultations"),
        url_name="consultations:today",
        group=CLINICAL,
        order=10,
        description=_("The doctor's patients of the day: vitals, notes, diagnoses, prescriptions."),
        roles=(DOCTOR, NURSE),
        dashboard_tiles="apps.consultations.dashboard.tiles",
        history="apps.consultations.history.consultations_of",
    )
