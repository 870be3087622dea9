"""Pharmacy rows for tests: medicines, a supplier, stock received, sales."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.pharmacy.models import Medicine, PaymentMethod, Sale, StockReceipt, Supplier
from apps.pharmacy.services.catalogue import (
    MedicineDetails,
    SupplierDetails,
    medicine_create,
    supplier_create,
)
from apps.pharmacy.services.sales import SaleDetails, SaleLineInput, sale_create
from apps.pharmacy.services.stock import ReceiptLine, stock_receive
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def today() -> date:
    return timezone.localdate()


def in_days(days: int) -> date:
    return today() + timedelta(days=days)


def medicine_details(**changes: Any) -> MedicineDetails:
    base = MedicineDetails(
        generic_name="Paracetamol",
        brand_name="Panadol",
        form="tablet",
        strength="500 mg",
        unit="tablet",
        reorder_level=20,
        sale_price=Decimal("0.50"),
    )
    return replace(base, **changes)


def make_medicine(hospital: Hospital, **changes: Any) -> Medicine:
    with tenant_context(hospital):
        return medicine_create(details=medicine_details(**changes))


def make_supplier(hospital: Hospital, name: str = "Azərpharm LLC") -> Supplier:
    with tenant_context(hospital):
        return supplier_create(details=SupplierDetails(name=name, phone="+994 12 555 00 00"))


def receive(
    hospital: Hospital,
    medicine: Medicine,
    *batches: tuple[str, date, int],
    supplier: Supplier | None = None,
    on: date | None = None,
    unit_cost: Decimal = Decimal("0.20"),
) -> StockReceipt:
    """Receive ``(batch number, expiry, quantity)`` batches of ``medicine``; ``on`` is
    the day of receiving (earlier days let a test hold batches that have since expired)."""
    with tenant_context(hospital):
        supplier = supplier or Supplier.objects.first()
        if supplier is None:
            supplier = make_supplier(hospital)
        day = on or today()
        return stock_receive(
            hospital=hospital,
            supplier_id=supplier.pk,
            received_on=day,
            lines=[
                ReceiptLine(medicine.pk, number, expiry, quantity, unit_cost)
                for number, expiry, quantity in batches
            ],
            today=day,
        )


def sell(
    hospital: Hospital,
    *lines: tuple[Medicine, int],
    method: str = PaymentMethod.CASH,
    **details: Any,
) -> Sale:
    values: dict[str, Any] = {"customer_name": "Walk-in customer", "payment_method": method}
    values.update(details)
    with tenant_context(hospital):
        return sale_create(
            hospital=hospital,
            details=SaleDetails(**values),
            lines=[SaleLineInput(medicine.pk, quantity) for medicine, quantity in lines],
        )
