from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db import IntegrityError
from django.utils import formats, timezone

from apps.admissions import unbilled
from apps.admissions.billing import source as bed_days
from apps.admissions.models import (
    Admission,
    AdmissionRequest,
    AdmissionStatus,
    Bed,
    BedStatus,
    DoseAdministration,
    Occupancy,
)
from apps.admissions.selectors import (
    admitted_by_ward,
    bed_map,
    medication_chart,
    occupancies_of,
    to_discharge,
)
from apps.admissions.services import (
    DischargeSummary,
    InvalidSummary,
    admission_admit,
    admission_cancel,
    admission_discharge,
    admission_plan_discharge,
    admission_request_create,
    admission_settings_update,
    admission_transfer,
    bed_mark_clean,
    dose_record,
    nursing_note_add,
    ward_create,
)
from apps.admissions.tests.conftest import Hospitalward, local
from apps.consultations.services import PrescriptionItemDetails, prescription_item_add
from apps.core import billable
from apps.core.billable import BillableItem
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

SUMMARY = DischargeSummary(
    diagnoses="J18.9 Pneumonia", treatment="IV ceftriaxone 5 days", medicines="", follow_up=""
)


@pytest.fixture
def in_ward(ward: Hospitalward) -> Iterator[Hospitalward]:
    with tenant_context(ward.hospital):
        yield ward


def _bed(ward: Hospitalward, bed: Bed) -> Bed:
    return Bed.objects.get(pk=bed.pk)


# -- admitting ---------------------------------------------------------------------------


def test_admitting_takes_the_bed_and_numbers_the_admission(in_ward: Hospitalward) -> None:
    admission = in_ward.admit()
    year = timezone.now().year
    assert admission.number == f"{in_ward.hospital.code}-ADM-{year}-000001"
    assert admission.status == AdmissionStatus.ADMITTED
    assert _bed(in_ward, in_ward.beds[0]).status == BedStatus.OCCUPIED
    [stay] = occupancies_of(admission=admission)
    assert stay.bed_id == in_ward.beds[0].pk and stay.ended_at is None
    assert stay.daily_rate == Decimal("50.00")


def test_an_occupied_bed_cannot_be_taken(in_ward: Hospitalward) -> None:
    in_ward.admit()
    with pytest.raises(Conflict) as refused:
        in_ward.admit(patient=in_ward.patient_named("Second"))
    assert refused.value.field == "bed"
    assert Admission.objects.count() == 1


def test_a_bed_being_cleaned_cannot_be_taken(in_ward: Hospitalward) -> None:
    Bed.objects.filter(pk=in_ward.beds[0].pk).update(status=BedStatus.CLEANING)
    with pytest.raises(Conflict):
        in_ward.admit()


def test_a_patient_has_one_active_admission(in_ward: Hospitalward) -> None:
    in_ward.admit()
    with pytest.raises(Conflict) as refused:
        in_ward.admit(bed=in_ward.beds[1])
    assert refused.value.field == "patient"
    assert _bed(in_ward, in_ward.beds[1]).status == BedStatus.FREE  # nothing half-written


def test_the_database_refuses_a_second_active_admission_and_a_second_occupant(
    in_ward: Hospitalward,
) -> None:
    admission = in_ward.admit()
    with pytest.raises(IntegrityError):
        Admission.objects.create(
            number="X-1", patient=in_ward.patient, reason="x", admitted_at=timezone.now()
        )
    other = in_ward.admit(patient=in_ward.patient_named("Other"), bed=in_ward.beds[1])
    with pytest.raises(IntegrityError):
        Occupancy.objects.create(
            admission=other, bed=in_ward.beds[0], started_at=timezone.now(), daily_rate=1
        )
    assert Occupancy.objects.filter(bed=in_ward.beds[0]).get().admission_id == admission.pk


def test_two_admissions_racing_for_the_last_bed_one_wins(ward: Hospitalward) -> None:
    """Real threads on the real SQLite file: both read the bed as free before either
    writes; the IMMEDIATE transaction serialises them and the second is refused."""
    patients = [ward.patient_named(f"Racer{i}") for i in range(3)]

    def desk(patient: Patient, bed: Bed) -> None:
        admission_admit(
            hospital=ward.hospital,
            patient=patient,
            bed=bed,
            reason="Chest pain",
            admitted_by=ward.doctor_user,
        )

    with tenant_context(ward.hospital):
        # each desk holds the bed as read before any admits (all see it free)
        desks = [
            partial(desk, patient, Bed.objects.get(pk=ward.private_bed.pk)) for patient in patients
        ]
        admitting = run_at_once(*desks)
    outcomes = ["refused" if outcome.refused(Conflict) else "admitted" for outcome in admitting]
    assert sorted(outcomes) == ["admitted", "refused", "refused"]
    with tenant_context(ward.hospital):
        assert Occupancy.objects.filter(bed=ward.private_bed).count() == 1
        assert Admission.objects.count() == 1


def test_one_patient_admitted_twice_at_once_gets_one_admission(ward: Hospitalward) -> None:
    with tenant_context(ward.hospital):
        admitting = run_at_once(*(partial(ward.admit, bed=bed) for bed in ward.beds[:2]))
    outcomes = ["refused" if outcome.refused(Conflict) else "admitted" for outcome in admitting]
    assert sorted(outcomes) == ["admitted", "refused"]
    with tenant_context(ward.hospital):
        assert Admission.objects.filter(patient=ward.patient).count() == 1
        assert Bed.objects.filter(status=BedStatus.OCCUPIED).count() == 1


def test_two_doctors_requesting_a_bed_for_one_patient_at_once_make_one_request(
    ward: Hospitalward,
) -> None:
    """Eight patients, two requests for each sent at once."""
    pairs = 8
    outcomes: list[str] = []

    def doctor(patient: Patient, reason: str) -> None:
        admission_request_create(patient=patient, reason=reason, requested_by=ward.doctor_user)

    for index in range(pairs):
        patient = ward.patient_named(f"Waiting{index}")
        with tenant_context(ward.hospital):
            pair = run_at_once(
                *(partial(doctor, patient, reason) for reason in ("Observation", "Surgery"))
            )
        outcomes.extend("refused" if outcome.refused(Conflict) else "requested" for outcome in pair)
    assert sorted(outcomes) == ["refused"] * pairs + ["requested"] * pairs
    with tenant_context(ward.hospital):
        assert AdmissionRequest.objects.count() == pairs


def test_a_transfer_and_an_admission_racing_for_one_bed_one_wins(ward: Hospitalward) -> None:
    moving = ward.admit()
    newcomer = ward.patient_named("Newcomer")

    def transfer() -> None:
        admission_transfer(admission=moving, bed=ward.private_bed, transferred_by=ward.nurse)

    def admit() -> None:
        ward.admit(patient=newcomer, bed=ward.private_bed)

    with tenant_context(ward.hospital):
        transferring, admitting = run_at_once(transfer, admit)
    outcomes = {
        name: "refused" if outcome.refused(Conflict) else "done"
        for name, outcome in (("transfer", transferring), ("admit", admitting))
    }
    assert sorted(outcomes.values()) == ["done", "refused"]
    with tenant_context(ward.hospital):
        [occupant] = Occupancy.objects.filter(bed=ward.private_bed)
        assert occupant.ended_at is None
        if outcomes["admit"] == "refused":  # nothing half-written for the loser
            assert not Admission.objects.filter(patient=newcomer).exists()
            assert occupant.admission_id == moving.pk
        else:
            [stay] = Occupancy.objects.filter(admission=moving)
            assert stay.ended_at is None and stay.bed_id == ward.beds[0].pk


def test_an_admission_from_a_consultation_takes_its_doctor(in_ward: Hospitalward) -> None:
    consultation = in_ward.clinic.opened(patient=in_ward.patient)
    admission = in_ward.admit(consultation=consultation)
    assert admission.doctor_id == in_ward.clinic.doctor.pk
    assert admission.consultation_id == consultation.pk


def test_a_consultation_of_another_patient_is_refused(in_ward: Hospitalward) -> None:
    consultation = in_ward.clinic.opened(patient=in_ward.patient_named("Other"))
    with pytest.raises(ValidationError):
        in_ward.admit(consultation=consultation)
    assert Admission.objects.count() == 0


def test_admitting_from_a_request_takes_it_off_the_waiting_list(in_ward: Hospitalward) -> None:
    request = admission_request_create(
        patient=in_ward.patient, reason="Observation", requested_by=in_ward.doctor_user
    )
    with pytest.raises(Conflict):
        admission_request_create(
            patient=in_ward.patient, reason="Again", requested_by=in_ward.doctor_user
        )
    admission = in_ward.admit(request=request, reason="")
    assert admission.reason == "Observation"
    assert AdmissionRequest.objects.get(pk=request.pk).status == "admitted"
    with pytest.raises(ValidationError):  # a request names its patient
        in_ward.admit(patient=in_ward.patient_named("B"), bed=in_ward.beds[1], request=request)


# -- transfer, cleaning, discharge -------------------------------------------------------


def test_a_transfer_keeps_the_history_and_sends_the_old_bed_to_cleaning(
    in_ward: Hospitalward,
) -> None:
    admission = in_ward.admit()
    admission_transfer(admission=admission, bed=in_ward.private_bed, transferred_by=in_ward.nurse)
    first, second = occupancies_of(admission=admission)
    assert first.bed_id == in_ward.beds[0].pk and first.ended_at is not None
    assert second.bed_id == in_ward.private_bed.pk and second.ended_at is None
    assert second.started_at == first.ended_at
    assert second.daily_rate == Decimal("120.00")
    assert _bed(in_ward, in_ward.beds[0]).status == BedStatus.CLEANING
    assert _bed(in_ward, in_ward.private_bed).status == BedStatus.OCCUPIED


def test_a_transfer_to_a_taken_bed_changes_nothing(in_ward: Hospitalward) -> None:
    admission = in_ward.admit()
    in_ward.admit(patient=in_ward.patient_named("Other"), bed=in_ward.beds[1])
    with pytest.raises(Conflict):
        admission_transfer(admission=admission, bed=in_ward.beds[1], transferred_by=in_ward.nurse)
    [stay] = occupancies_of(admission=admission)
    assert stay.ended_at is None
    assert _bed(in_ward, in_ward.beds[0]).status == BedStatus.OCCUPIED


def test_a_nurse_marks_a_bed_clean_and_it_is_free_again(in_ward: Hospitalward) -> None:
    admission = in_ward.admit()
    admission_transfer(admission=admission, bed=in_ward.beds[1], transferred_by=in_ward.nurse)
    bed = bed_mark_clean(bed=in_ward.beds[0])
    assert bed.status == BedStatus.FREE
    with pytest.raises(Conflict):
        bed_mark_clean(bed=in_ward.beds[0])
    with pytest.raises(Conflict):
        bed_mark_clean(bed=in_ward.beds[1])  # occupied, not dirty


def test_discharge_writes_the_summary_and_frees_the_patient(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit()
    admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    assert admission.status == AdmissionStatus.DISCHARGED
    assert admission.discharge_diagnoses == "J18.9 Pneumonia"
    assert _bed(in_ward, in_ward.beds[0]).status == BedStatus.CLEANING
    assert Occupancy.objects.get(admission=admission).ended_at == admission.discharged_at
    again = in_ward.admit(bed=in_ward.beds[1])  # a new stay is possible
    assert again.number.endswith("000002")


def test_discharge_moves_forward_only(in_ward: Hospitalward, allow_unbilled: None) -> None:
    admission = in_ward.admit()
    admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    with pytest.raises(Conflict):
        admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    with pytest.raises(Conflict):
        admission_transfer(admission=admission, bed=in_ward.beds[1], transferred_by=in_ward.nurse)
    with pytest.raises(Conflict):
        admission_cancel(admission=admission, reason="x", cancelled_by=in_ward.doctor_user)


def test_discharge_needs_diagnoses_and_treatment_each_next_to_its_field(
    in_ward: Hospitalward,
) -> None:
    admission = in_ward.admit()
    with pytest.raises(InvalidSummary) as refused:
        admission_discharge(
            admission=admission,
            summary=DischargeSummary(diagnoses=" ", treatment=""),
            discharged_by=in_ward.doctor_user,
        )
    assert set(refused.value.errors) == {"diagnoses", "treatment"}
    assert Admission.objects.get(pk=admission.pk).status == AdmissionStatus.ADMITTED


class FakeSource:
    key = "laboratory.test"
    label = "Lab test"

    def items_for(self, *, patient_id: uuid.UUID) -> list[BillableItem]:
        return [
            BillableItem(
                source=self.key,
                reference="7",
                patient_id=patient_id,
                description="Complete blood count",
                quantity=Decimal(1),
                unit_price=Decimal("15.00"),
                occurred_at=timezone.now(),
            )
        ]

    def item(self, *, reference: str) -> BillableItem | None:
        return None


@pytest.fixture
def lab_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unbilled, "billable_sources", lambda: [bed_days, FakeSource()])


def test_discharge_is_refused_while_a_service_is_unbilled(
    in_ward: Hospitalward, lab_source: None
) -> None:
    admission = in_ward.admit()
    admission_transfer(admission=admission, bed=in_ward.beds[1], transferred_by=in_ward.nurse)
    with pytest.raises(Conflict) as refused:
        admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    # the lab test blocks; this stay's own bed days go on the discharge invoice
    assert "Complete blood count" in refused.value.message
    assert "Bed days" not in refused.value.message
    assert Admission.objects.get(pk=admission.pk).status == AdmissionStatus.ADMITTED
    assert Occupancy.objects.filter(admission=admission, ended_at__isnull=True).exists()


def test_discharge_goes_ahead_once_billing_reports_the_service_invoiced(
    in_ward: Hospitalward, lab_source: None
) -> None:
    def checker(items: list[BillableItem]) -> set[tuple[str, str]]:
        return {(i.source, i.reference) for i in items if i.source == "laboratory.test"}

    billable.register_invoiced_checker(checker)
    try:
        admission = in_ward.admit()
        admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    finally:
        billable.unregister_invoiced_checker(checker)
    assert admission.status == AdmissionStatus.DISCHARGED


def test_an_earlier_stays_unbilled_bed_days_block_discharge(in_ward: Hospitalward) -> None:
    admission_settings_update(allow_discharge_with_unbilled=True)
    first = in_ward.admit()
    admission_discharge(admission=first, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    admission_settings_update(allow_discharge_with_unbilled=False)
    second = in_ward.admit(bed=in_ward.beds[1])
    with pytest.raises(Conflict) as refused:
        admission_discharge(admission=second, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    assert first.number in refused.value.message


def test_the_hospital_may_allow_discharge_with_unbilled_services(
    in_ward: Hospitalward, lab_source: None
) -> None:
    admission_settings_update(allow_discharge_with_unbilled=True)
    admission = in_ward.admit()
    admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    assert admission.status == AdmissionStatus.DISCHARGED


def test_an_admission_is_cancelled_only_on_its_day_and_charges_nothing(
    in_ward: Hospitalward,
) -> None:
    yesterday = in_ward.admit(at=timezone.now() - timedelta(days=1))
    with pytest.raises(Conflict):
        admission_cancel(admission=yesterday, reason="Wrong patient", cancelled_by=in_ward.nurse)
    today = in_ward.admit(patient=in_ward.patient_named("Today"), bed=in_ward.beds[1])
    with pytest.raises(ValidationError):
        admission_cancel(admission=today, reason=" ", cancelled_by=in_ward.nurse)
    admission_cancel(admission=today, reason="Wrong patient", cancelled_by=in_ward.nurse)
    assert today.status == AdmissionStatus.CANCELLED
    assert list(bed_days.items_for(patient_id=today.patient_id)) == []
    assert _bed(in_ward, in_ward.beds[1]).status == BedStatus.CLEANING


# -- bed days ----------------------------------------------------------------------------


def test_bed_days_count_calendar_nights_at_least_one(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    same_day = in_ward.admit(at=local(2026, 3, 2, 9))
    admission_discharge(
        admission=same_day,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 2, 17),
    )
    [item] = bed_days.items_for(patient_id=same_day.patient_id)
    assert item.quantity == 1 and item.amount == Decimal("50.00")

    other = in_ward.patient_named("Nights")
    stay = in_ward.admit(patient=other, bed=in_ward.beds[1], at=local(2026, 3, 2, 22))
    admission_discharge(
        admission=stay, summary=SUMMARY, discharged_by=in_ward.doctor_user, at=local(2026, 3, 4, 8)
    )
    [item] = bed_days.items_for(patient_id=other.pk)
    assert item.quantity == 2 and item.amount == Decimal("100.00")
    assert bed_days.item(reference=item.reference) == item


def test_a_transfer_between_wards_charges_each_stay_at_its_own_rate(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 10))
    admission_transfer(
        admission=admission,
        bed=in_ward.private_bed,
        transferred_by=in_ward.nurse,
        at=local(2026, 3, 3, 11),
    )
    [first] = bed_days.items_for(patient_id=in_ward.patient.pk)
    assert first.quantity == 2
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 6, 9),
    )
    items = list(bed_days.items_for(patient_id=in_ward.patient.pk))
    assert [(i.quantity, i.unit_price) for i in items] == [
        (Decimal(2), Decimal("50.00")),
        (Decimal(3), Decimal("120.00")),
    ]
    assert sum(i.amount for i in items) == Decimal("460.00")
    assert "General Medicine" in items[0].description and admission.number in items[0].description


def _shown(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_a_same_day_transfer_charges_one_day_at_the_bed_where_the_stay_began(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 2, 10, 0))
    admission_transfer(
        admission=admission,
        bed=in_ward.private_bed,
        transferred_by=in_ward.nurse,
        at=local(2026, 3, 2, 10, 1),
    )
    # no midnight yet: whether this stay will cross one is not known before it ends
    assert list(bed_days.items_for(patient_id=in_ward.patient.pk)) == []
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 2, 17),
    )
    [item] = bed_days.items_for(patient_id=in_ward.patient.pk)
    assert (item.quantity, item.unit_price) == (Decimal(1), Decimal("50.00"))
    assert "General Medicine" in item.description and _shown(date(2026, 3, 2)) in item.description


def test_each_midnight_is_charged_at_the_bed_occupied_at_that_midnight(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 10))
    admission_transfer(
        admission=admission,
        bed=in_ward.private_bed,
        transferred_by=in_ward.nurse,
        at=local(2026, 3, 2, 14),
    )
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 4, 9),
    )
    general, private = bed_days.items_for(patient_id=in_ward.patient.pk)
    # midnights: 2 March (general), 3 and 4 March (private)
    assert (general.quantity, general.unit_price) == (Decimal(1), Decimal("50.00"))
    assert (private.quantity, private.unit_price) == (Decimal(2), Decimal("120.00"))
    assert general.amount + private.amount == Decimal("290.00")
    # the invoice line says which days: the nights before those midnights
    assert f"{_shown(date(2026, 3, 1))} – {_shown(date(2026, 3, 1))}" in general.description
    assert f"{_shown(date(2026, 3, 2))} – {_shown(date(2026, 3, 3))}" in private.description


def test_a_transfer_at_midnight_charges_that_day_once_at_the_new_bed(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 20))
    admission_transfer(
        admission=admission,
        bed=in_ward.private_bed,
        transferred_by=in_ward.nurse,
        at=local(2026, 3, 2, 0, 0),
    )
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 2, 9),
    )
    [item] = bed_days.items_for(patient_id=in_ward.patient.pk)
    assert (item.quantity, item.unit_price) == (Decimal(1), Decimal("120.00"))


def test_a_stay_with_midnights_charges_nothing_for_a_bed_left_before_any(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 9))
    admission_transfer(
        admission=admission,
        bed=in_ward.private_bed,
        transferred_by=in_ward.nurse,
        at=local(2026, 3, 1, 11),
    )
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 3, 9),
    )
    [item] = bed_days.items_for(patient_id=in_ward.patient.pk)
    assert (item.quantity, item.unit_price) == (Decimal(2), Decimal("120.00"))
    assert bed_days.item(reference=item.reference) == item


def test_a_new_ward_rate_does_not_reach_back_to_a_patient_in_bed(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 10))
    from apps.admissions.services import ward_update

    ward_update(
        ward=in_ward.general, name="General Medicine", daily_rate=Decimal("80"), is_active=True
    )
    admission_discharge(
        admission=admission,
        summary=SUMMARY,
        discharged_by=in_ward.doctor_user,
        at=local(2026, 3, 2, 9),
    )
    [item] = bed_days.items_for(patient_id=in_ward.patient.pk)
    assert item.unit_price == Decimal("50.00")


def test_a_bed_rate_overrides_its_wards(in_ward: Hospitalward) -> None:
    Bed.objects.filter(pk=in_ward.beds[3].pk).update(daily_rate=Decimal("75.50"))
    admission = in_ward.admit(bed=in_ward.beds[3])
    assert occupancies_of(admission=admission)[0].daily_rate == Decimal("75.50")


def test_a_ward_name_is_unique_and_a_rate_never_negative(in_ward: Hospitalward) -> None:
    with pytest.raises(ValidationError) as refused:
        ward_create(name="general medicine", daily_rate=Decimal("1"))
    assert refused.value.field == "name"
    with pytest.raises(ValidationError) as refused:
        ward_create(name="ICU", daily_rate=Decimal("-1"))
    assert refused.value.field == "daily_rate"


# -- lists -------------------------------------------------------------------------------


def test_the_bed_map_shows_free_occupied_and_cleaning_beds(in_ward: Hospitalward) -> None:
    admission = in_ward.admit()
    admission_transfer(admission=admission, bed=in_ward.beds[1], transferred_by=in_ward.nurse)
    rooms = bed_map(ward=in_ward.general)
    assert [room.name for room in rooms] == ["1", "2"]
    first, second = rooms[0].beds
    assert first.bed.status == BedStatus.CLEANING and first.occupancy is None
    assert second.occupancy is not None and second.occupancy.admission.patient == in_ward.patient
    assert all(b.bed.status == BedStatus.FREE for b in rooms[1].beds)


def test_admitted_by_ward_and_to_discharge(in_ward: Hospitalward) -> None:
    one = in_ward.admit()
    two = in_ward.admit(patient=in_ward.patient_named("Private"), bed=in_ward.private_bed)
    groups = admitted_by_ward()
    assert [(name, [a.pk for a in rows]) for name, rows in groups] == [
        ("General Medicine", [one.pk]),
        ("Private", [two.pk]),
    ]
    today = timezone.localdate()
    admission_plan_discharge(admission=two, on=today)
    assert [a.pk for a in to_discharge(today=today)] == [two.pk]
    with pytest.raises(ValidationError):
        admission_plan_discharge(admission=one, on=today - timedelta(days=3))


# -- nursing -----------------------------------------------------------------------------


def _prescribe(ward: Hospitalward, admission: Admission, frequency: str, duration: str = ""):
    consultation = ward.clinic.opened(patient=ward.patient)
    return prescription_item_add(
        hospital=ward.hospital,
        consultation=consultation,
        details=PrescriptionItemDetails(
            medicine="Amoxicillin", dose="500 mg", frequency=frequency, duration=duration
        ),
    )


def test_a_prescription_during_the_stay_becomes_scheduled_doses(in_ward: Hospitalward) -> None:
    admission = in_ward.admit(at=timezone.now() - timedelta(days=2))
    item = _prescribe(in_ward, admission, "3 times a day")
    today = timezone.localdate()
    [line] = medication_chart(admission=admission, day=today, now=timezone.now())
    assert line.item == item
    created = item.prescription.created_at
    expected = [local(today.year, today.month, today.day, h) for h in (8, 14, 20)]
    assert [d.scheduled_at for d in line.doses] == [at for at in expected if at >= created]


def test_doses_are_recorded_once_and_overdue_ones_stand_out(in_ward: Hospitalward) -> None:
    admission = in_ward.admit(at=local(2026, 3, 1, 7))
    item = _prescribe(in_ward, admission, "twice daily", duration="3 days")
    Admission.objects.filter(pk=admission.pk).update(consultation=item.prescription.consultation)
    admission.refresh_from_db()
    from apps.consultations.models import Prescription

    Prescription.objects.filter(pk=item.prescription_id).update(created_at=local(2026, 3, 1, 7))
    item.refresh_from_db()
    morning, evening = local(2026, 3, 2, 8), local(2026, 3, 2, 20)
    dose_record(
        admission=admission,
        item=item,
        scheduled_at=morning,
        outcome="given",
        recorded_by=in_ward.nurse,
        at=local(2026, 3, 2, 8, 10),
    )
    with pytest.raises(Conflict):
        dose_record(
            admission=admission,
            item=item,
            scheduled_at=morning,
            outcome="given",
            recorded_by=in_ward.nurse,
        )
    with pytest.raises(ValidationError) as refused:
        dose_record(
            admission=admission,
            item=item,
            scheduled_at=evening,
            outcome="held",
            recorded_by=in_ward.nurse,
        )
    assert refused.value.field == "reason"
    with pytest.raises(ValidationError):  # no dose due at 09:00
        dose_record(
            admission=admission,
            item=item,
            scheduled_at=local(2026, 3, 2, 9),
            outcome="given",
            recorded_by=in_ward.nurse,
        )
    [line] = medication_chart(
        admission=admission, day=local(2026, 3, 2).date(), now=local(2026, 3, 2, 21, 30)
    )
    given, late = line.doses
    assert given.record is not None and given.record.outcome == "given" and not given.overdue
    assert late.record is None and late.overdue
    # after the third day the course is over
    assert (
        medication_chart(admission=admission, day=local(2026, 3, 4).date(), now=timezone.now())[
            0
        ].doses
        == []
    )
    dose_record(
        admission=admission,
        item=item,
        scheduled_at=evening,
        outcome="refused",
        reason="Nauseous",
        recorded_by=in_ward.nurse,
        at=local(2026, 3, 2, 20, 5),
    )
    assert DoseAdministration.objects.filter(admission=admission).count() == 2


def test_a_medicine_prescribed_before_the_admission_is_not_on_the_chart(
    in_ward: Hospitalward,
) -> None:
    consultation = in_ward.clinic.opened(patient=in_ward.patient)
    prescription_item_add(
        hospital=in_ward.hospital,
        consultation=consultation,
        details=PrescriptionItemDetails(medicine="Old", dose="1", frequency="daily"),
    )
    admission = in_ward.admit(at=timezone.now() + timedelta(minutes=1))
    assert medication_chart(admission=admission, day=timezone.localdate(), now=timezone.now()) == []


def test_nursing_notes_need_text_and_an_active_admission(
    in_ward: Hospitalward, allow_unbilled: None
) -> None:
    admission = in_ward.admit()
    with pytest.raises(ValidationError):
        nursing_note_add(admission=admission, text="  ", author=in_ward.nurse)
    note = nursing_note_add(admission=admission, text="Slept well.", author=in_ward.nurse)
    assert note.author_id == in_ward.nurse.pk
    admission_discharge(admission=admission, summary=SUMMARY, discharged_by=in_ward.doctor_user)
    with pytest.raises(Conflict):
        nursing_note_add(admission=admission, text="Late", author=in_ward.nurse)


def test_admissions_of_one_hospital_are_invisible_in_another(
    ward: Hospitalward, hospital_b: Hospital
) -> None:
    ward.admit()
    with tenant_context(hospital_b):
        assert Admission.objects.count() == 0
