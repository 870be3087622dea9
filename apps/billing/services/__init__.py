"""Billing's writes: the price list, invoices and their forward moves, money in.

See ``invoices`` for the states an invoice goes through and ``apps.billing.money`` for
the invoice arithmetic (rounded by ``apps.core.money``)."""

from apps.billing.services.invoices import (
    ServiceLine,
    billable_withdraw,
    billing_settings_update,
    invoice_add_service,
    invoice_cancel,
    invoice_create,
    invoice_credit,
    invoice_issue,
    invoice_remove_line,
    invoice_set_discount,
    item_key,
)
from apps.billing.services.payments import invoice_write_off, payment_record
from apps.billing.services.price_list import service_create, service_update

__all__ = [
    "ServiceLine",
    "billable_withdraw",
    "billing_settings_update",
    "invoice_add_service",
    "invoice_cancel",
    "invoice_create",
    "invoice_credit",
    "invoice_issue",
    "invoice_remove_line",
    "invoice_set_discount",
    "invoice_write_off",
    "item_key",
    "payment_record",
    "service_create",
    "service_update",
]
