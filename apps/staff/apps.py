from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from django.utils.translation import gettext_lazy as _

from apps.tenancy import registry


class StaffConfig(registry.TenantAppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = _("Staff")
    # No roles: managing logins, roles and staff records is for hospital admins (who
    # may use every module) only.
    staff_module = registry.Module(
        key="staff",
        label=_("Staff"),
        url_name="staff:accounts",
        description=_("Logins, roles and passwords of the hospital's people, and staff records."),
        order=80,
    )
