"""Pharmacy rows for tests: medicines, a supplier, stock received, sales."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.accounts.services import account_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.consultations.models import Prescription, PrescriptionItem
from apps.consultations.services import (
    PrescriptionItemDetails,
    consultation_complete,
    consultation_open,
    diagnosis_add,
    prescription_item_add,
)
from apps.patients.models import Patient
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


def prescribe(
    hospital: Hospital,
    *items: tuple[str, int | None],
    patient: Patient | None = None,
    complete: bool = True,
) -> Prescription:
    """A consultation with a prescription of ``(medicine text, quantity)`` items,
    completed by its doctor unless ``complete`` is false."""
    doctor_user = account_create(hospital=hospital, full_name="Dr Prescriber", role="doctor").user
    appointment = make_appointment(hospital, doctor=make_doctor(hospital), patient=patient)
    with tenant_context(hospital):
        appointment = appointment_check_in(appointment=appointment)
        consultation = consultation_open(appointment=appointment, opened_by=doctor_user)
        for medicine, quantity in items:
            prescription_item_add(
                hospital=hospital,
                consultation=consultation,
                details=PrescriptionItemDetails(
                    medicine=medicine, dose="1 tablet", frequency="3 times a day", quantity=quantity
                ),
            )
        if complete:
            diagnosis_add(consultation=consultation, code="J06.9")
            consultation_complete(consultation=consultation, completed_by=doctor_user)
        return Prescription.objects.select_related("patient").get(consultation=consultation)


def prescription_items(hospital: Hospital, prescription: Prescription) -> list[PrescriptionItem]:
    with tenant_context(hospital):
        return list(prescription.items.all())
