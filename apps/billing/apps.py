from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class BillingConfig(registry.TenantAppConfig):
    name = "apps.billing"
    label = "billing"
    verbose_name = "Billing"
    # Role values as plain strings: apps.accounts.models cannot be imported before the
    # app registry is ready. The front desk takes money; accountants run the books.
    staff_module = registry.Module(
        key="billing",
        label="Billing",
        url_name="billing:invoices",
        description="Invoice patients' visits and services, take payments, print receipts.",
        roles=frozenset({"accountant", "receptionist"}),
        order=40,
    )
    dashboard_tiles = "apps.billing.dashboard.tiles"
    dashboard_series = "apps.billing.dashboard.series"

    def ready(self) -> None:
        from apps.billing.history import invoices_of
        from apps.billing.selectors import invoiced_among
        from apps.billing.services import billable_withdraw
        from apps.core.billable import register_invoiced_checker, register_withdraw_handler
        from apps.patients import history

        register_withdraw_handler(billable_withdraw)
        register_invoiced_checker(invoiced_among)
        history.register_provider("billing", invoices_of)
