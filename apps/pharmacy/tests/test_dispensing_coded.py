"""A line written from the formulary is dispensed as its own coded medicine: suggested
as that one (no name is matched) and refused as any other."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.accounts.services import account_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.consultations.models import Prescription
from apps.consultations.prescribing import PrescriptionLine, prescription_line_add
from apps.consultations.services import consultation_complete, consultation_open, diagnosis_add
from apps.pharmacy.models import Medicine
from apps.pharmacy.selectors import items_to_dispense
from apps.pharmacy.services.errors import InvalidDocument
from apps.pharmacy.services.sales import SaleDetails, SaleLineInput, sale_create
from apps.pharmacy.tests.factories import in_days, make_medicine, receive, today
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


@pytest.fixture
def stocked(hospital_a: Hospital) -> tuple[Medicine, Medicine]:
    """Two medicines whose names start alike: a name match would take either."""
    coded = make_medicine(hospital_a, generic_name="Paracetamol", brand_name="Panadol")
    alike = make_medicine(hospital_a, generic_name="Paracetamol", brand_name="Calpol")
    for medicine in (coded, alike):
        receive(hospital_a, medicine, (f"B-{medicine.brand_name}", in_days(200), 50))
    return coded, alike


def _prescribed(hospital: Hospital, medicine: Medicine) -> Prescription:
    doctor_user = account_create(hospital=hospital, full_name="Dr Coded", role="doctor").user
    appointment = make_appointment(hospital, doctor=make_doctor(hospital))
    with tenant_context(hospital):
        appointment = appointment_check_in(appointment=appointment)
        consultation = consultation_open(appointment=appointment, opened_by=doctor_user)
        prescription_line_add(
            hospital=hospital,
            consultation=consultation,
            line=PrescriptionLine(
                medicine_id=medicine.pk,
                dose_amount=Decimal("1"),
                dose_unit="tablet",
                frequency="four_times_daily",
                duration_days=3,
                quantity=12,
            ),
            prescribed_by=doctor_user,
        )
        diagnosis_add(consultation=consultation, code="J06.9")
        consultation_complete(consultation=consultation, completed_by=doctor_user)
        return Prescription.objects.select_related("patient").get(consultation=consultation)


def test_a_coded_line_is_suggested_as_its_own_medicine(
    hospital_a: Hospital, stocked: tuple[Medicine, Medicine]
) -> None:
    coded, _alike = stocked  # Panadol: a name match would take Calpol, sorted first
    prescription = _prescribed(hospital_a, coded)
    with tenant_context(hospital_a):
        [entry] = items_to_dispense(prescription=prescription, today=today())
    assert entry.medicine == coded and entry.item.formulary_medicine_id == coded.pk


def test_a_coded_line_dispensed_as_another_medicine_is_refused(
    hospital_a: Hospital, stocked: tuple[Medicine, Medicine]
) -> None:
    coded, alike = stocked
    prescription = _prescribed(hospital_a, coded)
    with tenant_context(hospital_a):
        item = prescription.items.get()
        details = SaleDetails(patient_id=prescription.patient_id, payment_method="cash")
        with pytest.raises(InvalidDocument) as refused:
            sale_create(
                hospital=hospital_a,
                details=details,
                lines=[SaleLineInput(alike.pk, 12, prescription_item_id=item.pk)],
            )
        assert "prescribed from the formulary" in refused.value.line_errors[0]["medicine"]
        sale = sale_create(
            hospital=hospital_a,
            details=details,
            lines=[SaleLineInput(coded.pk, 12, prescription_item_id=item.pk)],
        )
    assert sale.lines.get().medicine_id == coded.pk
