"""Medication orders on the admission: the checks they share with prescribing, the
record built from their start times, carrying the consultation's prescription over,
hold and stop, and doses that take stock and are billed once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from apps.admissions import medication_record
from apps.admissions.billing import WARD_DOSES_KEY, ward_doses
from apps.admissions.models import Admission, DoseAdministration, MedicationOrder
from apps.admissions.orders import (
    OrderDose,
    medication_order_create,
    medication_order_hold,
    medication_order_resume,
    medication_order_stop,
    medication_orders_carry_over,
    order_dose_record,
)
from apps.admissions.selectors import (
    carry_over_candidates,
    medication_chart,
    medication_items,
    order_get,
)
from apps.admissions.services import admission_settings_get
from apps.admissions.tests.conftest import Hospitalward
from apps.audit.models import ClinicalEvent
from apps.consultations.models import Consultation, PrescriptionItem
from apps.consultations.prescribing import NeedsOverride, PrescriptionLine, prescription_line_add
from apps.consultations.services import InvalidDetails
from apps.core.exceptions import Conflict, ValidationError
from apps.patients.allergies import AllergyDetails, patient_allergy_record
from apps.patients.models import Allergen
from apps.pharmacy.models import Batch, Medicine, MovementKind, StockMovement
from apps.pharmacy.tests.factories import in_days, make_medicine, receive
from apps.tenancy.context import tenant_context


def amoxicillin(ward: Hospitalward, stock: int = 0) -> Medicine:
    medicine = make_medicine(
        ward.hospital,
        generic_name="Amoxicillin",
        brand_name="Amoxil",
        form="capsule",
        strength="500 mg",
        unit="capsule",
        sale_price=Decimal("0.80"),
    )
    if stock:
        receive(ward.hospital, medicine, ("AMX-1", in_days(200), stock))
    return medicine


def line(medicine: Medicine | None, **changes: Any) -> PrescriptionLine:
    base = PrescriptionLine(
        medicine_id=medicine.pk if medicine else None,
        dose_amount=Decimal("1"),
        dose_unit="capsule",
        frequency="once_daily",
        duration_days=5,
    )
    return replace(base, **changes)


def order(ward: Hospitalward, admission: Admission, medicine: Medicine, **kw: Any):
    starts_at = kw.pop("starts_at", None)
    with tenant_context(ward.hospital):
        return medication_order_create(
            admission=admission,
            line=line(medicine, **kw),
            starts_at=starts_at,
            ordered_by=ward.doctor_user,
        )


def now_minute():
    return timezone.now().replace(second=0, microsecond=0)


def test_a_once_daily_order_started_now_is_due_now_then_every_24_hours(
    ward: Hospitalward,
) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=2))
    start = now_minute() - timedelta(minutes=10)
    ordered = order(ward, admission, amoxicillin(ward), starts_at=start)
    with tenant_context(ward.hospital):
        due = medication_record.order_due_times(
            ordered, admission, start=start - timedelta(days=1), end=start + timedelta(days=10)
        )
        assert due == [start + timedelta(days=n) for n in range(5)]
        [line_] = medication_chart(
            admission=admission, day=timezone.localdate(start), now=timezone.now()
        )
    assert line_.order == ordered and [d.scheduled_at for d in line_.doses] == [start]
    assert not line_.doses[0].overdue


def test_an_order_for_an_allergen_warns_and_needs_a_reason_as_a_prescription_does(
    ward: Hospitalward,
) -> None:
    admission = ward.admit()
    medicine = amoxicillin(ward)
    with tenant_context(ward.hospital):
        penicillins = Allergen.objects.get(code="penicillins")
        patient_allergy_record(
            patient=ward.patient,
            details=AllergyDetails(penicillins.pk, "Anaphylaxis", "severe"),
            recorded_by=ward.nurse,
        )
    with pytest.raises(NeedsOverride) as warned:
        order(ward, admission, medicine)
    assert any("allergic" in w.message for w in warned.value.warnings)
    overridden = order(ward, admission, medicine, override_reason="Tolerated it last year")
    assert overridden.override_reason == "Tolerated it last year"
    assert "allergic" in overridden.warnings_overridden


def test_the_same_medicine_twice_on_the_ward_is_a_duplicate(ward: Hospitalward) -> None:
    admission = ward.admit()
    medicine = amoxicillin(ward)
    with tenant_context(ward.hospital):
        ward.patient.refresh_from_db()
    order(ward, admission, medicine, override_reason="")  # allergies not asked: no reason
    with pytest.raises(NeedsOverride) as warned:
        order(ward, admission, medicine)
    assert any(admission.number in w.message for w in warned.value.warnings)


def test_orders_are_bounded_like_prescription_lines(ward: Hospitalward) -> None:
    admission = ward.admit()
    medicine = amoxicillin(ward)
    with pytest.raises(InvalidDetails):
        order(ward, admission, medicine, duration_days=9_999_999_999)
    with pytest.raises(InvalidDetails):
        order(ward, admission, medicine, dose_amount=Decimal("0"))
    with pytest.raises(ValidationError):
        order(ward, admission, medicine, starts_at=timezone.now() + timedelta(days=400))


def _prescribed(ward: Hospitalward, consultation: Consultation, medicine: Medicine):
    with tenant_context(ward.hospital):
        return prescription_line_add(
            hospital=ward.hospital,
            consultation=consultation,
            line=line(medicine, frequency="twice_daily", duration_days=3, quantity=6),
            prescribed_by=ward.doctor_user,
        )


def test_the_consultations_prescription_is_carried_over_once(ward: Hospitalward) -> None:
    consultation = ward.clinic.opened(patient=ward.patient)
    medicine = amoxicillin(ward)
    item = _prescribed(ward, consultation, medicine)
    admission = ward.admit(consultation=consultation)
    with tenant_context(ward.hospital):
        assert [i.pk for i in carry_over_candidates(admission=admission)] == [item.pk]
        assert [i.pk for i in medication_items(admission=admission)] == [item.pk]
        [carried] = medication_orders_carry_over(
            admission=admission, items=[item], ordered_by=ward.doctor_user
        )
        assert carried.carried_from_id == item.pk
        assert carried.formulary_medicine_id == medicine.pk
        assert carried.frequency_code == "twice_daily" and carried.duration_days == 3
        # the order is charted instead of the item; nothing is left to carry over
        assert medication_items(admission=admission) == []
        assert carry_over_candidates(admission=admission) == []
        with pytest.raises(Conflict):
            medication_orders_carry_over(
                admission=admission, items=[item], ordered_by=ward.doctor_user
            )
        assert ClinicalEvent.objects.filter(action="medication_order.carried_over").count() == 1
        # a carried line is not a duplicate of the order that continues it
        assert Consultation.objects.count() == 1


def test_a_dose_given_takes_stock_and_is_billed_once(ward: Hospitalward) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=1))
    medicine = amoxicillin(ward, stock=3)
    ordered = order(ward, admission, medicine, dose_amount=Decimal("2"))
    assert ordered.units_per_dose == 2
    with tenant_context(ward.hospital):
        record = order_dose_record(
            order=order_get(admission=admission, order_id=ordered.pk),
            dose=OrderDose(outcome="given", scheduled_at=ordered.starts_at),
            recorded_by=ward.nurse,
        )
        assert record.quantity == 2 and record.unit_price == Decimal("0.80")
        assert Batch.objects.get(medicine=medicine).quantity_on_hand == 1
        movement = StockMovement.objects.get(kind=MovementKind.WARD_DOSE)
        assert movement.quantity == -2 and movement.reference == admission.number
        [item] = list(ward_doses.items_for(patient_id=ward.patient.pk))
        assert item.source == WARD_DOSES_KEY and item.amount == Decimal("1.60")
        assert ward_doses.item(reference=str(record.pk)) == item
        assert ClinicalEvent.objects.filter(action="dose.given").count() == 1
        with pytest.raises(Conflict):  # recorded once
            order_dose_record(
                order=ordered,
                dose=OrderDose(outcome="given", scheduled_at=ordered.starts_at),
                recorded_by=ward.nurse,
            )


def test_a_dose_is_refused_when_the_pharmacy_has_not_enough(ward: Hospitalward) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=1))
    medicine = amoxicillin(ward, stock=1)
    ordered = order(ward, admission, medicine, dose_amount=Decimal("2"))
    with tenant_context(ward.hospital):
        with pytest.raises(Conflict) as refused:
            order_dose_record(
                order=ordered,
                dose=OrderDose(outcome="given", scheduled_at=ordered.starts_at),
                recorded_by=ward.nurse,
            )
        assert "holds 1 unit" in refused.value.message
        assert not DoseAdministration.objects.exists()
        assert Batch.objects.get(medicine=medicine).quantity_on_hand == 1
        # a dose not given takes nothing
        held = order_dose_record(
            order=ordered,
            dose=OrderDose(outcome="held", scheduled_at=ordered.starts_at, reason="Vomiting"),
            recorded_by=ward.nurse,
        )
        assert held.quantity == 0 and list(ward_doses.items_for(patient_id=ward.patient.pk)) == []


def test_a_dose_given_outside_its_window_needs_a_reason(ward: Hospitalward) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=5))
    start = now_minute() - timedelta(hours=3)
    ordered = order(ward, admission, amoxicillin(ward, stock=5), starts_at=start)
    with tenant_context(ward.hospital):
        assert admission_settings_get().dose_window_minutes == 60
        with pytest.raises(ValidationError) as refused:
            order_dose_record(
                order=ordered,
                dose=OrderDose(outcome="given", scheduled_at=start),
                recorded_by=ward.nurse,
            )
        assert refused.value.field == "reason"
        with pytest.raises(ValidationError):  # held needs a reason anyway
            order_dose_record(
                order=ordered,
                dose=OrderDose(outcome="held", scheduled_at=start),
                recorded_by=ward.nurse,
            )
        late = order_dose_record(
            order=ordered,
            dose=OrderDose(outcome="given", scheduled_at=start, reason="Patient was in theatre"),
            recorded_by=ward.nurse,
        )
        assert late.reason == "Patient was in theatre"
        with pytest.raises(ValidationError):  # no dose due at a time between doses
            order_dose_record(
                order=ordered,
                dose=OrderDose(outcome="given", scheduled_at=start + timedelta(hours=1)),
                recorded_by=ward.nurse,
            )


def test_held_and_stopped_orders_have_no_doses_due(ward: Hospitalward) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=5))
    ordered = order(
        ward,
        admission,
        amoxicillin(ward),
        frequency="every_hours",
        every_hours=1,
        starts_at=now_minute() - timedelta(hours=2),
    )
    with tenant_context(ward.hospital):
        with pytest.raises(ValidationError):
            medication_order_hold(order=ordered, reason=" ", held_by=ward.doctor_user)
        held = medication_order_hold(order=ordered, reason="Nil by mouth", held_by=ward.doctor_user)
        assert held.status == "held"
        ordered = order_get(admission=admission, order_id=ordered.pk)
        holds = list(ordered.holds.all())
        # the doses before the hold stay due; none while it lasts
        assert medication_record.is_due(ordered, admission, ordered.starts_at, holds)
        assert not medication_record.is_due(
            ordered, admission, ordered.starts_at + timedelta(hours=3), holds
        )
        resumed = medication_order_resume(order=ordered, resumed_by=ward.doctor_user)
        assert resumed.status == "active"
        with pytest.raises(ValidationError):
            medication_order_stop(order=resumed, reason="", stopped_by=ward.doctor_user)
        stopped = medication_order_stop(
            order=resumed, reason="Course changed", stopped_by=ward.doctor_user
        )
        assert stopped.status == "stopped" and stopped.stopped_at is not None
        assert (
            medication_record.order_due_times(
                stopped,
                admission,
                start=stopped.stopped_at,
                end=stopped.stopped_at + timedelta(days=2),
            )
            == []
        )
        with pytest.raises(Conflict):
            medication_order_stop(order=stopped, reason="Again", stopped_by=ward.doctor_user)
        actions = set(ClinicalEvent.objects.values_list("action", flat=True))
        assert {
            "medication_order.created",
            "medication_order.held",
            "medication_order.resumed",
            "medication_order.stopped",
        } <= actions


def test_an_as_needed_order_is_recorded_when_given(ward: Hospitalward) -> None:
    admission = ward.admit(at=timezone.now() - timedelta(hours=1))
    ordered = order(ward, admission, amoxicillin(ward, stock=2), frequency="as_needed")
    with tenant_context(ward.hospital):
        [line_] = medication_chart(
            admission=admission, day=timezone.localdate(), now=timezone.now()
        )
        assert line_.doses == []
        record = order_dose_record(
            order=ordered, dose=OrderDose(outcome="given"), recorded_by=ward.nurse
        )
        [line_] = medication_chart(
            admission=admission, day=timezone.localdate(), now=timezone.now()
        )
        assert [d.record for d in line_.doses] == [record]


def test_orders_of_one_hospital_are_invisible_in_another(ward: Hospitalward, hospital_b) -> None:
    admission = ward.admit()
    order(ward, admission, amoxicillin(ward))
    with tenant_context(hospital_b):
        assert MedicationOrder.objects.count() == 0
        assert PrescriptionItem.objects.count() == 0


def test_the_ward_list_counts_overdue_doses_as_each_chart_does(ward: Hospitalward) -> None:
    from apps.admissions.selectors import admitted, overdue_count, overdue_counts

    admission = ward.admit(at=timezone.now() - timedelta(hours=6))
    other = ward.admit(patient=ward.patient_named("Other"), bed=ward.beds[1])
    order(
        ward,
        admission,
        amoxicillin(ward),
        frequency="every_hours",
        every_hours=2,
        starts_at=now_minute() - timedelta(hours=5),
    )
    now = timezone.now()
    with tenant_context(ward.hospital):
        counts = overdue_counts(admissions=admitted(), now=now)
        assert counts[admission.pk] == overdue_count(admission=admission, now=now) >= 1
        assert counts[other.pk] == 0
