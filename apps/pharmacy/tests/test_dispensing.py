"""Dispensing a consultation's prescription: its own patient, a completed consultation,
never more than prescribed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.consultations.models import Prescription
from apps.core.testing import run_at_once
from apps.patients.tests.factories import register
from apps.pharmacy.models import Medicine, Sale
from apps.pharmacy.selectors import items_to_dispense, prescriptions_to_dispense
from apps.pharmacy.services.errors import InvalidDocument
from apps.pharmacy.services.sales import SaleDetails, SaleLineInput, sale_create, sale_return_create
from apps.pharmacy.tests.factories import (
    in_days,
    make_medicine,
    prescribe,
    prescription_items,
    receive,
    today,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


@pytest.fixture
def paracetamol(hospital_a: Hospital) -> Medicine:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 100))
    return medicine


def dispense(
    hospital: Hospital,
    prescription: Prescription,
    *lines: tuple[Medicine, int, int],
    patient_id=None,
) -> Sale:
    with tenant_context(hospital):
        return sale_create(
            hospital=hospital,
            details=SaleDetails(
                patient_id=patient_id or prescription.patient_id, payment_method="cash"
            ),
            lines=[
                SaleLineInput(m.pk, quantity, prescription_item_id=i) for m, quantity, i in lines
            ],
        )


def sales_count(hospital: Hospital) -> int:
    with tenant_context(hospital):
        return Sale.objects.count()


def test_dispensing_more_than_prescribed_is_refused_and_nothing_is_sold(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    with pytest.raises(InvalidDocument) as refused:
        dispense(hospital_a, prescription, (paracetamol, 11, item.pk))
    assert "at most 10 more" in refused.value.line_errors[0]["quantity"]
    assert sales_count(hospital_a) == 0


def test_a_prescription_is_dispensed_in_parts_up_to_what_was_prescribed(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    first = dispense(hospital_a, prescription, (paracetamol, 6, item.pk))
    with pytest.raises(InvalidDocument) as refused:
        dispense(hospital_a, prescription, (paracetamol, 5, item.pk))
    assert "6 already dispensed" in refused.value.line_errors[0]["quantity"]
    with tenant_context(hospital_a):  # units brought back may be dispensed again
        sale_return_create(sale=first, quantities={first.lines.get().pk: 1}, reason="Spare")
    dispense(hospital_a, prescription, (paracetamol, 5, item.pk))
    with tenant_context(hospital_a):
        (entry,) = items_to_dispense(prescription=prescription, today=today())
    assert (entry.dispensed, entry.left, entry.done) == (10, 0, True)


def test_two_lines_of_one_item_count_together(hospital_a: Hospital, paracetamol: Medicine) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    with pytest.raises(InvalidDocument):
        dispense(hospital_a, prescription, (paracetamol, 6, item.pk), (paracetamol, 5, item.pk))
    assert sales_count(hospital_a) == 0


def test_another_patients_prescription_is_refused(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    stranger = register(hospital_a)
    with pytest.raises(InvalidDocument) as refused:
        dispense(hospital_a, prescription, (paracetamol, 1, item.pk), patient_id=stranger.pk)
    assert "another patient" in refused.value.line_errors[0]["medicine"]


def test_a_prescription_needs_its_patient_on_the_sale(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    with tenant_context(hospital_a), pytest.raises(InvalidDocument) as refused:
        sale_create(
            hospital=hospital_a,
            details=SaleDetails(customer_name="Walk-in", payment_method="cash"),
            lines=[SaleLineInput(paracetamol.pk, 1, prescription_item_id=item.pk)],
        )
    assert "patient_number" in refused.value.errors


def test_the_prescription_of_an_open_consultation_is_not_dispensed_yet(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10), complete=False)
    (item,) = prescription_items(hospital_a, prescription)
    with pytest.raises(InvalidDocument) as refused:
        dispense(hospital_a, prescription, (paracetamol, 1, item.pk))
    assert "not completed" in refused.value.line_errors[0]["medicine"]


def test_an_item_written_without_a_quantity_leaves_the_amount_to_the_pharmacist(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", None))
    (item,) = prescription_items(hospital_a, prescription)
    dispense(hospital_a, prescription, (paracetamol, 30, item.pk))
    with tenant_context(hospital_a):
        (entry,) = items_to_dispense(prescription=prescription, today=today())
    assert (entry.dispensed, entry.left, entry.done) == (30, None, True)


def test_another_hospitals_item_id_names_nothing_here(
    hospital_a: Hospital, hospital_b: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)
    medicine_b = make_medicine(hospital_b)
    receive(hospital_b, medicine_b, ("B1", in_days(200), 10))
    patient_b = register(hospital_b)
    with pytest.raises(InvalidDocument) as refused:
        dispense(hospital_b, prescription, (medicine_b, 1, item.pk), patient_id=patient_b.pk)
    assert "does not exist" in refused.value.line_errors[0]["medicine"]
    assert sales_count(hospital_b) == 0


def test_two_pharmacists_dispensing_one_prescription_at_once_give_it_once(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    (item,) = prescription_items(hospital_a, prescription)

    def pharmacist() -> Sale:
        return dispense(hospital_a, prescription, (paracetamol, 10, item.pk))

    outcomes = [outcome.value_or_error for outcome in run_at_once(pharmacist, pharmacist)]
    assert sorted(type(o).__name__ for o in outcomes) == ["InvalidDocument", "Sale"], outcomes
    assert sales_count(hospital_a) == 1


def test_the_to_dispense_list_holds_completed_prescriptions_not_fully_given(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    waiting = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    given = prescribe(hospital_a, ("Paracetamol 500 mg", 4))
    half = prescribe(hospital_a, ("Paracetamol 500 mg", 4), ("Ibuprofen 200 mg", 2))
    prescribe(hospital_a, ("Paracetamol 500 mg", 4), complete=False)
    old = prescribe(hospital_a, ("Paracetamol 500 mg", 4))
    (given_item,) = prescription_items(hospital_a, given)
    dispense(hospital_a, given, (paracetamol, 4, given_item.pk))
    half_item = prescription_items(hospital_a, half)[0]
    dispense(hospital_a, half, (paracetamol, 4, half_item.pk))
    with tenant_context(hospital_a):
        Prescription.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=30)
        )
        listed = prescriptions_to_dispense(since=today() - timedelta(days=14))
    assert [p.number for p in listed] == [half.number, waiting.number]
    assert listed[0].item_count == 2  # type: ignore[attr-defined]


def test_the_dispensing_page_suggests_the_catalogue_medicine_by_name(
    hospital_a: Hospital, paracetamol: Medicine
) -> None:
    prescription = prescribe(hospital_a, ("paracetamol 500mg tabs", 10), ("Unknown cream", 1))
    with tenant_context(hospital_a):
        known, unknown = items_to_dispense(prescription=prescription, today=today())
    assert known.medicine == paracetamol and known.left == 10
    assert unknown.medicine is None
