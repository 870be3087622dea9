from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from django.utils.translation import gettext_lazy as _

from apps.tenancy import registry


class DoctorsConfig(registry.TenantAppConfig):
    name = "apps.doctors"
    label = "doctors"
    verbose_name = _("Doctors")
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. Adding and editing is for hospital admins only (views).
    staff_module = registry.Module(
        key="doctors",
        label=_("Doctors"),
        url_name="doctors:list",
        description=_("The hospital's doctors, where they work and their weekly hours."),
        roles=frozenset({"doctor", "nurse", "receptionist"}),
        order=30,
    )
