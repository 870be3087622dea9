from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from django.utils.translation import gettext_lazy as _

from apps.tenancy import registry


class PatientsConfig(registry.TenantAppConfig):
    name = "apps.patients"
    label = "patients"
    verbose_name = _("Patients")
    reference_data_seeder = "apps.patients.allergies.seed"
    # before pharmacy (50), whose seeder maps the formulary's medicines to allergens
    seed_order = 20
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. The front desk registers; clinicians and billing look up.
    staff_module = registry.Module(
        key="patients",
        label=_("Patients"),
        url_name="patients:list",
        description=_("Register patients and find them by name, patient number or phone."),
        roles=frozenset({"receptionist", "doctor", "nurse", "accountant"}),
        order=10,
    )
