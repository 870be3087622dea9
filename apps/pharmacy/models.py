"""The hospital pharmacy: a catalogue of medicines, stock held in batches, and the
documents that move it (stock receipts, sales, returns, adjustments).

Every change to a batch's quantity writes one ``StockMovement`` row in the same
transaction, so a medicine's ledger always adds up to the quantity on hand. Quantities
are whole dispensing units (tablets, bottles, vials ...); money is Decimal.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import PrescriptionItem
from apps.patients.models import Allergen, Patient


class DosageForm(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    CAPSULE = "capsule", _("Capsule")
    SYRUP = "syrup", _("Syrup")
    SUSPENSION = "suspension", _("Suspension")
    INJECTION = "injection", _("Injection")
    INFUSION = "infusion", _("Infusion")
    CREAM = "cream", _("Cream or ointment")
    DROPS = "drops", _("Drops")
    INHALER = "inhaler", _("Inhaler")
    SUPPOSITORY = "suppository", _("Suppository")
    POWDER = "powder", _("Powder")
    OTHER = "other", _("Other")


class Medicine(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    generic_name = models.CharField(_("generic name"), max_length=200)
    brand_name = models.CharField(_("brand"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=DosageForm.choices)
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    #: the unit stock is counted and sold in ("tablet", "bottle", "vial")
    unit = models.CharField(_("unit"), max_length=30)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)
    sale_price = models.DecimalField(_("sale price"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)
    #: as the pharmacist writes it ("amoxicillin + clavulanic acid"); a prescription of
    #: a second medicine with the same ingredient is warned of
    active_ingredient = models.CharField(_("active ingredient"), max_length=200, blank=True)
    #: the ingredients and drug classes of the shipped allergen list this medicine holds,
    #: mapped from its names by the catalogue service; what allergies are checked against
    allergens = models.ManyToManyField(Allergen, blank=True, related_name="+")
    #: case-folded names and strength for the search box
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["generic_name", "strength", "brand_name"]
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")
        constraints = [
            models.UniqueConstraint(
                fields=["generic_name", "brand_name", "form", "strength"],
                name="one_medicine_per_name_form_and_strength",
            ),
            models.CheckConstraint(
                condition=Q(sale_price__gte=Decimal("0")), name="medicine_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        name = " ".join(part for part in (self.generic_name, self.strength) if part)
        return f"{name} ({self.brand_name})" if self.brand_name else name


class Supplier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name


class StockReceipt(models.Model):
    """A goods received note: one delivery from a supplier, one batch per line."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("receipt number"), max_length=40, unique=True, editable=False)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("supplier")
    )
    received_on = models.DateField(_("received on"))
    supplier_invoice = models.CharField(_("supplier's invoice number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    total_cost = models.DecimalField(_("total cost"), max_digits=12, decimal_places=2)
    received_by_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stock receipt")
        verbose_name_plural = _("stock receipts")

    def __str__(self) -> str:
        return self.number


class Batch(models.Model):
    """One line of a stock receipt: a lot of one medicine with its expiry date.

    ``quantity_on_hand`` is what is left of it; the database refuses a negative value,
    so no code path can sell what is not there. A batch is sellable before its expiry
    date; on that day and after it is expired and never sold.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    medicine = models.ForeignKey(
        Medicine, on_delete=models.PROTECT, related_name="batches", verbose_name=_("medicine")
    )
    receipt = models.ForeignKey(
        StockReceipt, on_delete=models.PROTECT, related_name="batches", verbose_name=_("receipt")
    )
    batch_number = models.CharField(_("batch number"), max_length=60)
    expiry_date = models.DateField(_("expiry date"))
    quantity_received = models.PositiveIntegerField(_("quantity received"))
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    quantity_on_hand = models.IntegerField(_("quantity on hand"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expiry_date", "created_at"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        indexes = [models.Index(fields=["medicine", "expiry_date"], name="batch_medicine_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_on_hand__gte=0), name="batch_stock_never_negative"
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=Decimal("0")), name="batch_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} · {self.batch_number} · {self.expiry_date:%Y-%m-%d}"

    @property
    def supplier(self) -> Supplier:
        return self.receipt.supplier


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    TRANSFER = "transfer", _("Bank transfer")
    #: not paid at the counter: billing puts the sale on the patient's invoice
    INVOICE = "invoice", _("Patient's invoice")


class Sale(models.Model):
    """One sale: over the counter, or dispensing a prescription. ``subtotal``,
    ``discount``, ``tax_amount`` and ``net_amount`` are computed by the server."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("sale number"), max_length=40, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pharmacy_sales",
        verbose_name=_("patient"),
    )
    customer_name = models.CharField(_("customer name"), max_length=200)
    customer_phone = models.CharField(_("customer phone"), max_length=32, blank=True)
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2)
    discount = models.DecimalField(
        _("discount"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_amount = models.DecimalField(_("tax"), max_digits=12, decimal_places=2)
    net_amount = models.DecimalField(_("net amount"), max_digits=12, decimal_places=2)
    #: what has been given back through returns (net of discount and tax)
    refunded_amount = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices
    )
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    sold_by_id = models.UUIDField(null=True, blank=True, editable=False)
    sold_at = models.DateTimeField(_("sold at"))

    class Meta:
        ordering = ["-sold_at", "-number"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.CheckConstraint(
                condition=Q(net_amount__gte=Decimal("0")), name="sale_net_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("net_amount")),
                name="sale_refund_at_most_net",
            ),
            models.CheckConstraint(
                condition=~Q(payment_method="invoice") | Q(patient__isnull=False),
                name="sale_on_invoice_has_a_patient",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def charged_amount(self) -> Decimal:
        """What the customer owes after returns."""
        return self.net_amount - self.refunded_amount


class SaleLine(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="sale_lines")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    quantity_returned = models.PositiveIntegerField(_("quantity returned"), default=0)
    #: the prescription item this line dispenses, if any. Kept while the sale lives:
    #: items of a completed consultation (the only ones dispensed) are never removed.
    prescription_item = models.ForeignKey(
        PrescriptionItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prescription item"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity")),
                name="sale_line_returns_at_most_sold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} × {self.quantity}"

    @property
    def returnable(self) -> int:
        return self.quantity - self.quantity_returned


class SaleAllocation(models.Model):
    """Which batch a sale line's units came from (a line may span batches)."""

    line = models.ForeignKey(SaleLine, on_delete=models.CASCADE, related_name="allocations")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField()
    quantity_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity")),
                name="allocation_returns_at_most_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.batch_number} × {self.quantity}"


class SaleReturn(models.Model):
    """Units of a sale brought back; each goes back to the batch it was sold from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(_("reason"), max_length=300)
    amount = models.DecimalField(_("refund"), max_digits=12, decimal_places=2)
    returned_by_id = models.UUIDField(null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("returned at"))

    class Meta:
        ordering = ["-returned_at"]

    def __str__(self) -> str:
        return f"{self.sale.number} return {self.returned_at:%Y-%m-%d %H:%M}"


class SaleReturnLine(models.Model):
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    def __str__(self) -> str:
        return f"{self.line.medicine} × {self.quantity}"


class AdjustmentReason(models.TextChoices):
    COUNT = "count", _("Stock count correction")
    DAMAGED = "damaged", _("Damaged")
    EXPIRED = "expired", _("Expired, written off")
    LOST = "lost", _("Lost or stolen")
    OTHER = "other", _("Other")


class StockAdjustment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="adjustments")
    #: signed: negative takes stock out, positive puts it back
    quantity = models.IntegerField(_("quantity change"))
    reason = models.CharField(_("reason"), max_length=10, choices=AdjustmentReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    adjusted_by_id = models.UUIDField(null=True, blank=True, editable=False)
    adjusted_at = models.DateTimeField(_("adjusted at"))

    class Meta:
        ordering = ["-adjusted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="adjustment_changes_something")
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.quantity:+d}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Received")
    SALE = "sale", _("Sold")
    RETURN = "return", _("Returned")
    ADJUSTMENT = "adjustment", _("Adjusted")
    WARD_DOSE = "ward_dose", _("Given on the ward")


class StockMovement(models.Model):
    """The ledger: one row per change of a batch's quantity, written in the same
    transaction as the change. ``balance_after`` is the medicine's quantity on hand
    (all its batches) right after this movement."""

    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="movements")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    #: signed: positive into stock, negative out of it
    quantity = models.IntegerField()
    balance_after = models.IntegerField()
    #: the document's number (GRN, sale) or, for adjustments, the reason
    reference = models.CharField(max_length=60)
    receipt = models.ForeignKey(StockReceipt, null=True, on_delete=models.PROTECT)
    sale = models.ForeignKey(Sale, null=True, on_delete=models.PROTECT)
    sale_return = models.ForeignKey(SaleReturn, null=True, on_delete=models.PROTECT)
    adjustment = models.ForeignKey(StockAdjustment, null=True, on_delete=models.PROTECT)
    by_id = models.UUIDField(null=True, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["medicine", "id"], name="movement_medicine_order")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_moves_something"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="movement_balance_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.kind} {self.quantity:+d} → {self.balance_after}"
