"""Reading the pharmacy of the selected hospital."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations.models import ConsultationStatus, Prescription, PrescriptionItem
from apps.core.collation import az_order
from apps.core.exceptions import NotFound
from apps.patients import history
from apps.pharmacy.links import hospital_url
from apps.pharmacy.models import (
    Batch,
    Medicine,
    Sale,
    SaleLine,
    StockMovement,
    StockReceipt,
    Supplier,
)

if TYPE_CHECKING:
    from apps.patients.models import Patient

#: the default window of the "expiring soon" list and tile
EXPIRING_DAYS = 30


def _on_hand() -> Coalesce:
    return Coalesce(Sum("batches__quantity_on_hand"), Value(0), output_field=IntegerField())


def medicine_search(*, query: str = "", include_inactive: bool = True) -> QuerySet[Medicine]:
    """Medicines whose names or strength contain every word typed, with ``on_hand``."""
    medicines = Medicine.objects.annotate(on_hand=_on_hand()).order_by(
        az_order("generic_name"), "strength", az_order("brand_name"), "pk"
    )
    if not include_inactive:
        medicines = medicines.filter(is_active=True)
    for term in query.casefold().split():
        medicines = medicines.filter(search_text__contains=term)
    return medicines


def medicine_get(*, medicine_id: uuid.UUID | str) -> Medicine:
    medicine = Medicine.objects.annotate(on_hand=_on_hand()).filter(pk=medicine_id).first()
    if medicine is None:
        raise NotFound(_("There is no such medicine in this hospital."))
    return medicine


def medicine_batches(*, medicine: Medicine) -> QuerySet[Batch]:
    return medicine.batches.select_related("receipt__supplier").order_by("expiry_date", "pk")


def medicine_ledger(*, medicine: Medicine) -> QuerySet[StockMovement]:
    """Every movement of the medicine's stock, oldest first; the last row's
    ``balance_after`` is the quantity on hand."""
    return medicine.movements.select_related("batch", "adjustment").order_by("id")


def medicine_on_hand(*, medicine_id: uuid.UUID) -> int:
    total = Batch.objects.filter(medicine_id=medicine_id).aggregate(total=Sum("quantity_on_hand"))[
        "total"
    ]
    return int(total or 0)


def _sellable_units(today: date) -> Coalesce:
    """A medicine's units in batches that may still be sold today."""
    sellable = (
        Batch.objects.filter(medicine=OuterRef("pk"), expiry_date__gt=today)
        .values("medicine")
        .annotate(total=Sum("quantity_on_hand"))
        .values("total")
    )
    return Coalesce(Subquery(sellable), Value(0), output_field=IntegerField())


def medicines_for_sale(*, today: date) -> QuerySet[Medicine]:
    """Active medicines with ``sellable`` the units that may be sold today."""
    return (
        Medicine.objects.filter(is_active=True)
        .annotate(sellable=_sellable_units(today))
        .order_by(az_order("generic_name"), "strength", az_order("brand_name"))
    )


def low_stock(*, today: date) -> QuerySet[Medicine]:
    """Active medicines whose sellable stock is under the reorder level (expired units
    do not count: they cannot be sold), with ``on_hand`` the sellable units."""
    return (
        Medicine.objects.filter(is_active=True)
        .annotate(on_hand=_sellable_units(today))
        .filter(on_hand__lt=F("reorder_level"))
        .order_by(az_order("generic_name"), "strength")
    )


def batches_expiring(*, today: date, days: int = EXPIRING_DAYS) -> QuerySet[Batch]:
    """Batches with units left that expire within ``days`` days (not yet expired)."""
    return (
        Batch.objects.filter(
            quantity_on_hand__gt=0,
            expiry_date__gt=today,
            expiry_date__lte=today + timedelta(days=days),
        )
        .select_related("medicine", "receipt__supplier")
        .order_by("expiry_date", az_order("medicine__generic_name"))
    )


def batches_expired(*, today: date) -> QuerySet[Batch]:
    """Expired batches still holding units (to be written off)."""
    return (
        Batch.objects.filter(quantity_on_hand__gt=0, expiry_date__lte=today)
        .select_related("medicine", "receipt__supplier")
        .order_by("expiry_date", az_order("medicine__generic_name"))
    )


def batch_get(*, batch_id: uuid.UUID | str) -> Batch:
    batch = Batch.objects.select_related("medicine", "receipt").filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("There is no such batch in this hospital."))
    return batch


def supplier_list() -> QuerySet[Supplier]:
    return Supplier.objects.annotate(receipt_count=Count("receipts")).order_by(az_order("name"))


def supplier_get(*, supplier_id: uuid.UUID | str) -> Supplier:
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(_("There is no such supplier in this hospital."))
    return supplier


def receipt_list() -> QuerySet[StockReceipt]:
    return (
        StockReceipt.objects.select_related("supplier")
        .annotate(line_count=Count("batches"))
        .order_by("-created_at", "-number")
    )


def receipt_get(*, receipt_id: uuid.UUID | str) -> StockReceipt:
    receipt = StockReceipt.objects.select_related("supplier").filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound(_("There is no such stock receipt in this hospital."))
    return receipt


def sale_search(*, query: str = "") -> QuerySet[Sale]:
    sales = Sale.objects.select_related("patient")
    query = query.strip()
    if query:
        sales = sales.filter(
            Q(number__icontains=query)
            | Q(customer_name__icontains=query)
            | Q(customer_phone__icontains=query)
            | Q(patient__number__icontains=query)
        )
    return sales


def sale_get(*, sale_id: uuid.UUID | str) -> Sale:
    sale = Sale.objects.select_related("patient").filter(pk=sale_id).first()
    if sale is None:
        raise NotFound(_("There is no such sale in this hospital."))
    return sale


def sale_lines(*, sale: Sale) -> QuerySet[SaleLine]:
    return sale.lines.select_related(
        "medicine", "prescription_item__prescription"
    ).prefetch_related("allocations__batch")


def dispensed_quantities(*, prescription_item_ids: Iterable[int]) -> dict[int, int]:
    """Units dispensed (net of returns) against each prescription item: what a
    dispensing page shows as already given."""
    rows = (
        SaleLine.objects.filter(prescription_item_id__in=list(prescription_item_ids))
        .values("prescription_item_id")
        .annotate(sold=Sum("quantity"), returned=Sum("quantity_returned"))
    )
    return {row["prescription_item_id"]: row["sold"] - row["returned"] for row in rows}


@dataclass(frozen=True)
class ItemToDispense:
    """A prescription item as the dispensing page shows it: what was given already and
    the catalogue medicine suggested for it."""

    item: PrescriptionItem
    dispensed: int
    medicine: Medicine | None

    @property
    def left(self) -> int | None:
        """Units still to give; None when the doctor wrote no quantity."""
        if self.item.quantity is None:
            return None
        return max(self.item.quantity - self.dispensed, 0)

    @property
    def done(self) -> bool:
        if self.item.quantity is None:
            return self.dispensed > 0
        return self.dispensed >= self.item.quantity


def prescription_get_for_dispensing(*, prescription_id: uuid.UUID | str) -> Prescription:
    prescription = (
        Prescription.objects.select_related("consultation", "patient", "doctor")
        .filter(pk=prescription_id)
        .first()
    )
    if prescription is None:
        raise NotFound(_("There is no such prescription in this hospital."))
    return prescription


def _medicine_suggested(item: PrescriptionItem, today: date) -> Medicine | None:
    """The coded medicine of a line written from the formulary (no name is matched).
    For other lines: the medicine given for it before; for a line typed before the
    formulary, else an active catalogue medicine whose name holds the line's first word
    (one with sellable stock first), for the pharmacist to confirm."""
    if item.formulary_medicine_id is not None:
        return medicines_for_sale(today=today).filter(pk=item.formulary_medicine_id).first()
    earlier = SaleLine.objects.filter(prescription_item=item).order_by("-sale__sold_at").first()
    if earlier is not None:
        return medicines_for_sale(today=today).filter(pk=earlier.medicine_id).first()
    words = item.medicine.casefold().split()
    if item.outside_formulary_reason or not words:
        return None
    candidates = list(medicines_for_sale(today=today).filter(search_text__contains=words[0])[:20])
    in_stock = [medicine for medicine in candidates if getattr(medicine, "sellable", 0) > 0]
    chosen = in_stock or candidates
    return chosen[0] if chosen else None


def items_to_dispense(*, prescription: Prescription, today: date) -> list[ItemToDispense]:
    items = list(prescription.items.all())
    given = dispensed_quantities(prescription_item_ids=[item.pk for item in items])
    return [
        ItemToDispense(item, given.get(item.pk, 0), _medicine_suggested(item, today))
        for item in items
    ]


def prescriptions_to_dispense(*, since: date, limit: int = 50) -> list[Prescription]:
    """Prescriptions of completed consultations written since ``since`` with an item not
    fully dispensed (an item without a quantity counts as dispensed once any unit was
    given), newest first, with ``item_count``."""
    given = (
        SaleLine.objects.filter(prescription_item=OuterRef("pk"))
        .values("prescription_item")
        .annotate(units=Sum(F("quantity") - F("quantity_returned")))
        .values("units")
    )
    open_items = PrescriptionItem.objects.annotate(
        given=Coalesce(Subquery(given), Value(0), output_field=IntegerField())
    ).filter(Q(quantity__isnull=True, given=0) | Q(given__lt=F("quantity")))
    start = timezone.make_aware(datetime.combine(since, time.min))
    return list(
        Prescription.objects.filter(
            consultation__status=ConsultationStatus.COMPLETED,
            created_at__gte=start,
            pk__in=open_items.values("prescription_id"),
        )
        .select_related("patient", "doctor")
        .annotate(item_count=Count("items"))
        .order_by("-created_at")[:limit]
    )


def sales_history_of(patient: Patient) -> list[history.HistoryEntry]:
    return [
        history.HistoryEntry(
            when=sale.sold_at,
            kind=_("Pharmacy sale"),
            title=sale.number,
            detail=_("%(count)d medicine(s), %(amount)s")
            % {"count": sale.line_count, "amount": sale.net_amount},
            url=hospital_url("pharmacy:sale", sale.pk),
        )
        for sale in Sale.objects.filter(patient=patient).annotate(line_count=Count("lines"))
    ]
