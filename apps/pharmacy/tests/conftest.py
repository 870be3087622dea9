"""A stocked pharmacy in hospital A, and a pharmacist's client, for the view tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.pharmacy.models import Batch, Medicine, Sale, StockReceipt, Supplier
from apps.pharmacy.tests.factories import in_days, make_medicine, make_supplier, receive, sell
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@dataclass(frozen=True)
class Stocked:
    medicine: Medicine
    supplier: Supplier
    receipt: StockReceipt
    batch: Batch
    sale: Sale

    def object_paths(self) -> list[str]:
        """Every page naming one of hospital A's objects."""
        return [
            f"/pharmacy/medicines/{self.medicine.pk}/",
            f"/pharmacy/medicines/{self.medicine.pk}/edit/",
            f"/pharmacy/suppliers/{self.supplier.pk}/edit/",
            f"/pharmacy/receipts/{self.receipt.pk}/",
            f"/pharmacy/batches/{self.batch.pk}/adjust/",
            f"/pharmacy/sales/{self.sale.pk}/",
            f"/pharmacy/sales/{self.sale.pk}/return/",
        ]


#: pages that name no object
LIST_PATHS = [
    "/pharmacy/",
    "/pharmacy/medicines/new/",
    "/pharmacy/suppliers/",
    "/pharmacy/suppliers/new/",
    "/pharmacy/receipts/",
    "/pharmacy/receipts/new/",
    "/pharmacy/receipts/new/line/",
    "/pharmacy/stock/low/",
    "/pharmacy/stock/expiring/",
    "/pharmacy/stock/expired/",
    "/pharmacy/sales/",
    "/pharmacy/sales/new/",
    "/pharmacy/sales/new/line/",
    "/pharmacy/dispense/",
]


@pytest.fixture
def stocked(hospital_a: Hospital) -> Stocked:
    medicine = make_medicine(hospital_a, sale_price=Decimal("0.50"))
    supplier = make_supplier(hospital_a)
    receipt = receive(hospital_a, medicine, ("PCM-001", in_days(200), 100), supplier=supplier)
    sale = sell(hospital_a, (medicine, 10))
    with tenant_context(hospital_a):
        batch = Batch.objects.get(receipt=receipt)
    return Stocked(medicine, supplier, receipt, batch, sale)


@pytest.fixture
def pharmacist_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.PHARMACIST))
