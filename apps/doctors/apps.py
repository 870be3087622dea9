from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import PEOPLE, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

DOCTOR = RoleSpec("doctor", _("Doctor"))
NURSE = RoleSpec("nurse", _("Nurse"))
RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))


class DoctorsConfig(registry.TenantAppConfig):
    name = "apps.doctors"
    label = "doctors"
    verbose_name = _("Doctors")
    # Adding and editing is for hospital admins only (views).
    hms_module = Module(
        key="doctors",
        label=_("Doctors"),
        url_name="doctors:list",
        group=PEOPLE,
        order=10,
        description=_("The hospital's doctors, where they work and their weekly hours."),
        roles=(DOCTOR, NURSE, RECEPTIONIST),
        linked_records=("doctors.Doctor",),
    )
