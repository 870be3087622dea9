"""A pharmacy sale's server time, for ``manage.py benchmark clinic`` (issue 10: a sale of
10 lines drawn from 5 batches each within 50 ms)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.core.benchmarking import Measurement
from apps.pharmacy.models import Medicine
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

SALE_TARGET = 0.050
LINES = 10
BATCHES_PER_LINE = 5
UNITS_PER_BATCH = 2


def _medicines(hospital: Hospital) -> list[Medicine]:
    tag = uuid.uuid4().hex[:6]
    with tenant_context(hospital):
        return [
            medicine_create(
                details=MedicineDetails(
                    generic_name=f"Benchmark drug {tag} {number}",
                    brand_name="",
                    form="tablet",
                    strength="10 mg",
                    unit="tablet",
                    reorder_level=0,
                    sale_price=Decimal("0.50"),
                )
            )
            for number in range(LINES)
        ]


def _stock_up(
    hospital: Hospital, medicines: list[Medicine], supplier_id: uuid.UUID, run: int
) -> None:
    """Five small batches of every medicine, so each line of the sale spans all five."""
    today = timezone.localdate()
    with tenant_context(hospital):
        stock_receive(
            hospital=hospital,
            supplier_id=supplier_id,
            received_on=today,
            lines=[
                ReceiptLine(
                    medicine.pk,
                    f"R{run}-{medicine.pk}-{batch}",
                    today + timedelta(days=60 + batch),
                    UNITS_PER_BATCH,
                    Decimal("0.20"),
                )
                for medicine in medicines
                for batch in range(BATCHES_PER_LINE)
            ],
            today=today,
        )


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """Per run: stock every medicine with five batches, then time the sale of all of it
    (ten lines, each drawn from five batches: FEFO, allocations, ledger, number)."""
    measurement = Measurement(
        f"pharmacy: a sale of {LINES} lines from {BATCHES_PER_LINE} batches each (service)",
        SALE_TARGET,
    )
    medicines = _medicines(hospital)
    with tenant_context(hospital):
        supplier = supplier_create(details=SupplierDetails(name=f"Bench {uuid.uuid4().hex[:6]}"))
    lines = [SaleLineInput(m.pk, BATCHES_PER_LINE * UNITS_PER_BATCH) for m in medicines]
    for run in range(runs + 1):  # the first run warms up and is not counted
        _stock_up(hospital, medicines, supplier.pk, run)
        with tenant_context(hospital):
            started = time.perf_counter()
            sale_create(
                hospital=hospital,
                details=SaleDetails(customer_name="Benchmark", payment_method="cash"),
                lines=lines,
            )
            if run:
                measurement.samples.append(time.perf_counter() - started)
    return [measurement]
