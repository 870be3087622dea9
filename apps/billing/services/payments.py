"""Money in: payments with a receipt each, and write-offs."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.auditing import audited
from apps.billing.models import (
    UNPAID_STATUSES,
    Invoice,
    Payment,
    PaymentMethod,
    WriteOff,
)
from apps.billing.services.invoices import _audit, locked_for_update, settled_status
from apps.core.exceptions import Conflict, ValidationError
from apps.core.money import to_cents
from apps.numbering.services import document_number_allocate
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital


@audited("invoice.payment_recorded")
def payment_record(
    *,
    hospital: Hospital,
    invoice: Invoice,
    method: str,
    amount: Decimal,
    note: str = "",
    received_by_id: uuid.UUID | None = None,
    at: datetime | None = None,
) -> Payment:
    """Money received on an issued invoice, up to its balance, with its own receipt
    number (``<CODE>-RCT-<year>-000001``); the invoice becomes Partly paid or Paid."""
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how the patient pays."), field="method")
    if amount <= 0 or to_cents(amount) != amount:
        raise ValidationError(
            _("An amount is more than 0, with at most two decimals."), field="amount"
        )
    at = at or timezone.now()
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_unpaid(invoice)
        if amount > invoice.balance:
            raise ValidationError(
                _("That is more than the balance of %(balance)s.") % {"balance": invoice.balance},
                field="amount",
            )
        payment = Payment.objects.create(
            invoice=invoice,
            receipt_number=document_number_allocate(
                hospital=hospital, kind="RCT", year=timezone.localdate(at).year
            ),
            method=method,
            amount=amount,
            note=note.strip()[:200],
            received_at=at,
            received_by_id=received_by_id,
        )
        previous = invoice.status
        invoice.paid += amount
        invoice.status = settled_status(invoice)
        invoice.save(update_fields=["paid", "status", "updated_at"])
        _audit(
            "invoice.payment_recorded",
            invoice,
            {
                "receipt": payment.receipt_number,
                "method": method,
                "amount": amount,
                "status": [previous, invoice.status],
            },
        )
    payment.invoice = invoice
    return payment


def _require_unpaid(invoice: Invoice) -> None:
    if invoice.status not in UNPAID_STATUSES:
        raise Conflict(
            _("This invoice is %(status)s: nothing is owed on it.")
            % {"status": invoice.get_status_display()},
            field="amount",
        )


@audited("invoice.written_off")
def invoice_write_off(
    *, invoice: Invoice, amount: Decimal, reason: str, created_by_id: uuid.UUID | None = None
) -> Invoice:
    """Give up part or all of the balance, with a reason (paid + written off never exceed
    the total); each write-off is kept with who and when."""
    reason = reason.strip()
    if amount <= 0 or to_cents(amount) != amount:
        raise ValidationError(
            _("An amount is more than 0, with at most two decimals."), field="amount"
        )
    if not reason:
        raise ValidationError(_("Say why the amount is written off."), field="reason")
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_unpaid(invoice)
        if amount > invoice.balance:
            raise ValidationError(
                _("That is more than the balance of %(balance)s.") % {"balance": invoice.balance},
                field="amount",
            )
        WriteOff.objects.create(
            invoice=invoice, amount=amount, reason=reason[:200], created_by_id=created_by_id
        )
        previous = invoice.status
        invoice.written_off += amount
        invoice.status = settled_status(invoice)
        invoice.save(update_fields=["written_off", "status", "updated_at"])
        _audit(
            "invoice.written_off",
            invoice,
            {"amount": amount, "reason": reason[:200], "status": [previous, invoice.status]},
        )
    return invoice
