from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.modules import FINANCE, Invoicing, Module, RoleSpec

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry

ACCOUNTANT = RoleSpec("accountant", _("Accountant"))
RECEPTIONIST = RoleSpec("receptionist", _("Receptionist"))


class BillingConfig(registry.TenantAppConfig):
    name = "apps.billing"
    label = "billing"
    verbose_name = _("Billing")
    # The front desk takes money; accountants run the books.
    hms_module = Module(
        key="billing",
        label=_("Billing"),
        url_name="billing:invoices",
        group=FINANCE,
        order=10,
        description=_("Invoice patients' visits and services, take payments, print receipts."),
        roles=(ACCOUNTANT, RECEPTIONIST),
        dashboard_tiles="apps.billing.dashboard.tiles",
        dashboard_series="apps.billing.dashboard.series",
        history="apps.billing.history.invoices_of",
        benchmarks="apps.billing.benchmarks.clinic_benchmarks",
        # the other modules' chargeable work, withdrawn or already invoiced, as billing
        # knows it (apps.core.billable): billing imports no clinical module
        invoicing=Invoicing(
            withdraw="apps.billing.services.billable_withdraw",
            invoiced_among="apps.billing.selectors.invoiced_among",
        ),
    )
