from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import FRONT_DESK, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))
DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))
ACCOUNTANT = RoleSpec("accountant", _("Accountant"))


class PatientsConfig(registry.TenantAppConfig):
    name = "apps.patients"
    label = "patients"
    verbose_name = _("Patients")
    # The front desk registers; clinicians and billing look up.
    hms_module = Module(
        key="patients",
        label=_("Patients"),
        url_name="patients:list",
        group=FRONT_DESK,
        order=10,
        description=_("Register patients and find them by name, patient number or phone."),
        roles=(RECEPTIONIST, DOCTOR, NURSE, ACCOUNTANT),
        # a patient's portal login
        linked_records=("patients.Patient",),
        # the allergen list; before pharmacy (50), whose seeder maps the formulary's
        # medicines to allergens
        seeder="apps.patients.allergies.seed",
        seed_order=20,
    )
