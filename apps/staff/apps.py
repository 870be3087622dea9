from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import ADMINISTRATION, PEOPLE, MenuEntry, Module

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class StaffConfig(registry.TenantAppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = _("Staff")
    # No roles: managing logins, roles and staff records is for hospital admins (who
    # may use every module) only. The hospital's audit log is a page of this module
    # (administrators only), shown under administration.
    hms_module = Module(
        key="staff",
        label=_("Staff"),
        url_name="staff:accounts",
        group=PEOPLE,
        order=20,
        description=_("Logins, roles and passwords of the hospital's people, and staff records."),
        more_entries=(MenuEntry(_("Audit log"), "staff:audit", ADMINISTRATION, order=20),),
        linked_records=("staff.StaffMember",),
    )
