"""Billing: the hospital's price list, invoices made of billable items and price-list
services, payments with a receipt each, write-offs and credit notes.

Money is ``Decimal`` with two places everywhere, computed on the server
(``apps.billing.money``, rounded by ``apps.core.money``). An invoice's lines point at
their source's work by ``(source, reference)``; the database keeps each such pair on at
most one *live* line (a line of an invoice that is neither cancelled nor credited), so
nothing is invoiced twice, whoever invoices it and however many cashiers do so at once.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.names import display_name
from apps.patients.models import Patient


class Service(models.Model):
    """A service the hospital charges for at a fixed price (a dressing, an ECG ...).

    The consultation fee is not here: it comes from the doctor's own fee through the
    appointments module's billable source."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    #: shown instead of ``name`` to an Azerbaijani reader (``apps.core.names``)
    name_az = models.CharField(_("Name in Azerbaijani"), max_length=200, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="service_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {display_name(self)}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    CREDITED = "credited", _("Credited")


#: an invoice that is issued and not settled: money is owed
UNPAID_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)
#: an issued invoice, immutable from then on (its lines too)
ISSUED_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID)


class DiscountKind(models.TextChoices):
    NONE = "none", _("No discount")
    PERCENT = "percent", _("Percent")
    AMOUNT = "amount", _("Amount")


class Invoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: ``<CODE>-INV-<year>-000001``, allocated when the invoice is issued (drafts may be
    #: discarded, so they take no number and the series has no gaps)
    # NULL, not "", while a draft: unique numbers with many drafts unnumbered at once
    number = models.CharField(  # noqa: DJ001
        _("invoice number"), max_length=40, unique=True, null=True
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("patient")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    subtotal = models.DecimalField(
        _("subtotal"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    discount_kind = models.CharField(
        _("discount"), max_length=8, choices=DiscountKind.choices, default=DiscountKind.NONE
    )
    #: the percent or the amount typed; ``discount`` is what it comes to
    discount_value = models.DecimalField(
        _("discount value"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    discount = models.DecimalField(
        _("discount amount"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    discount_reason = models.CharField(_("reason for the discount"), max_length=200, blank=True)
    #: who gave the discount and when; ``discount_authorised``: given by someone who may
    #: give any discount (an accountant or an administrator), so above the hospital's
    #: limit (``BillingSettings``) it may be issued
    discount_by_id = models.UUIDField(null=True, blank=True, editable=False)
    discount_at = models.DateTimeField(null=True, blank=True, editable=False)
    discount_authorised = models.BooleanField(default=False, editable=False)
    total = models.DecimalField(
        _("total"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    paid = models.DecimalField(_("paid"), default=Decimal("0.00"), max_digits=12, decimal_places=2)
    #: the sum of the invoice's write-offs (``WriteOff`` rows say who, when and why)
    written_off = models.DecimalField(
        _("written off"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    #: users live in the platform database: ids as plain fields, never foreign keys
    created_by_id = models.UUIDField(null=True, blank=True, editable=False)
    issued_by_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [models.Index(fields=["status", "created_at"], name="invoice_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid__gte=0, written_off__gte=0, discount__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(paid__lte=models.F("total") - models.F("written_off")),
                name="invoice_paid_and_written_off_within_total",
            ),
            models.CheckConstraint(
                # a discarded draft is cancelled without ever having had a number
                condition=models.Q(status__in=["draft", "cancelled"])
                | models.Q(number__isnull=False),
                name="invoice_numbered_once_issued",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft invoice"))

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid - self.written_off

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_issued(self) -> bool:
        """Issued and not reversed: paid or not, it can be credited."""
        return self.status in ISSUED_STATUSES

    @property
    def is_unpaid(self) -> bool:
        return self.status in UNPAID_STATUSES


class BillingSettings(models.Model):
    """The hospital's billing rules: one row (``pk=1``)."""

    #: the largest discount (percent of the subtotal) the front desk may give; above it
    #: an accountant or an administrator gives it
    discount_limit_percent = models.DecimalField(
        _("discount limit (%)"), max_digits=5, decimal_places=2, default=Decimal("10.00")
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "billing settings"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    #: the billable source's key and the item's reference; both empty for a price-list
    #: service added by hand, which may appear on any number of invoices
    source = models.CharField(max_length=60, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    #: false once the invoice is cancelled or credited: the item may be invoiced again
    is_live = models.BooleanField(default=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"],
                condition=models.Q(is_live=True) & ~models.Q(source=""),
                name="billable_item_on_one_live_line",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="invoice_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=(models.Q(source="") & models.Q(service__isnull=False))
                | (~models.Q(source="") & ~models.Q(reference="")),
                name="invoice_line_has_a_source_or_a_service",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    INSURANCE = "insurance", _("Insurance")


class Payment(models.Model):
    """Money received against an issued invoice; each payment is its own receipt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    #: ``<CODE>-RCT-<year>-000001``
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    #: a card slip, a transfer's reference, an insurer's claim number
    note = models.CharField(_("reference or note"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["received_at"], name="payment_received_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return self.receipt_number


class WriteOff(models.Model):
    """Part of an invoice's balance given up, with who, when and why."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="write_offs")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="write_off_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.reason})"


class CreditNote(models.Model):
    """Reverses an issued invoice in full: its lines are released (their work may be
    withdrawn or invoiced again) and what was paid is owed back to the patient."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="credit_note")
    #: ``<CODE>-CRN-<year>-000001``
    number = models.CharField(_("credit note number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount credited"), max_digits=12, decimal_places=2)
    refund_due = models.DecimalField(_("refund due"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")

    def __str__(self) -> str:
        return self.number
