from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from apps.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConflictPolicy,
    UnavailabilityKind,
)
from apps.appointments.services import appointment_settings_update, unavailability_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.consultations.models import Consultation, ConsultationStatus, Diagnosis, Vitals
from apps.consultations.selectors import prescription_get, prescription_items_of_consultation
from apps.consultations.services import (
    InvalidDetails,
    PrescriptionItemDetails,
    VitalsValues,
    consultation_amend,
    consultation_book_follow_up,
    consultation_complete,
    consultation_open,
    consultation_save_notes,
    diagnosis_add,
    diagnosis_amend,
    diagnosis_make_primary,
    diagnosis_remove,
    prescription_item_add,
    vitals_record,
)
from apps.consultations.tests.conftest import Clinic
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.patients.history import collect
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

ASPIRIN = PrescriptionItemDetails(
    medicine="Amoxicillin 500 mg capsules",
    dose="500 mg",
    frequency="3 times a day",
    duration="7 days",
    quantity=21,
    instructions="After food",
)


# -- opening ---------------------------------------------------------------------------


def test_opening_a_checked_in_patient_starts_the_consultation(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    consultation = consultation_open(appointment=appointment, opened_by=clinic.doctor_user)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.IN_CONSULTATION
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.patient_id == appointment.patient_id
    assert consultation.started_by_id == clinic.doctor_user.pk
    # opening again is "continue", not a second consultation
    assert consultation_open(appointment=appointment, opened_by=clinic.doctor_user) == consultation


def test_a_patient_not_yet_checked_in_cannot_be_opened(clinic: Clinic, in_a) -> None:
    appointment = make_appointment(clinic.hospital, doctor=clinic.doctor)
    with pytest.raises(Conflict):
        consultation_open(appointment=appointment, opened_by=clinic.doctor_user)
    assert not hasattr(Appointment.objects.get(pk=appointment.pk), "consultation")


def test_vitals_recorded_before_opening_join_the_consultation(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    vitals = vitals_record(
        patient=appointment.patient,
        appointment=appointment,
        values=VitalsValues(pulse=80),
        recorded_by=clinic.nurse,
    )
    consultation = consultation_open(appointment=appointment, opened_by=clinic.doctor_user)
    vitals.refresh_from_db()
    assert vitals.consultation_id == consultation.pk


def test_two_clicks_opening_one_patient_at_once_make_one_consultation(clinic: Clinic) -> None:
    appointment = clinic.checked_in()

    def doctor() -> object:
        return consultation_open(appointment=appointment, opened_by=clinic.doctor_user).pk

    with tenant_context(clinic.hospital):
        opened = [outcome.result for outcome in run_at_once(doctor, doctor)]
        [only] = Consultation.objects.filter(appointment=appointment)
    assert opened == [only.pk, only.pk]


# -- vitals ----------------------------------------------------------------------------


def test_bmi_is_computed_on_the_server(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    vitals = vitals_record(
        patient=appointment.patient,
        appointment=appointment,
        recorded_by=clinic.nurse,
        values=VitalsValues(weight=Decimal("80"), height=Decimal("180")),
    )
    assert vitals.bmi == Decimal("24.7")
    assert vitals.recorded_by_id == clinic.nurse.pk


def test_implausible_values_are_refused_each_next_to_its_field(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    with pytest.raises(InvalidDetails) as refused:
        vitals_record(
            patient=appointment.patient,
            appointment=appointment,
            recorded_by=clinic.nurse,
            values=VitalsValues(pulse=400, temperature=Decimal("48.0"), spo2=120),
        )
    assert set(refused.value.errors) == {"pulse", "temperature", "spo2"}
    assert Vitals.objects.count() == 0


def test_diastolic_must_be_below_systolic_and_both_given(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    for values, field in [
        (VitalsValues(systolic=80, diastolic=90), "diastolic"),
        (VitalsValues(systolic=120), "diastolic"),
    ]:
        with pytest.raises(InvalidDetails) as refused:
            vitals_record(
                patient=appointment.patient,
                appointment=appointment,
                recorded_by=clinic.nurse,
                values=values,
            )
        assert field in refused.value.errors


def test_an_empty_set_of_vitals_is_refused(clinic: Clinic, in_a) -> None:
    appointment = clinic.checked_in()
    with pytest.raises(InvalidDetails):
        vitals_record(
            patient=appointment.patient,
            appointment=appointment,
            recorded_by=clinic.nurse,
            values=VitalsValues(),
        )


def test_vitals_are_not_recorded_for_a_patient_who_has_not_arrived(clinic: Clinic, in_a) -> None:
    appointment = make_appointment(clinic.hospital, doctor=clinic.doctor)
    with pytest.raises(Conflict):
        vitals_record(
            patient=appointment.patient,
            appointment=appointment,
            recorded_by=clinic.nurse,
            values=VitalsValues(pulse=70),
        )


# -- diagnoses -------------------------------------------------------------------------


def test_the_first_diagnosis_is_primary_and_a_new_primary_demotes_it(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    first = diagnosis_add(consultation=consultation, code="j06.9")
    assert (first.code, first.is_primary) == ("J06.9", True)
    second = diagnosis_add(consultation=consultation, code="I10")
    assert not second.is_primary
    third = diagnosis_add(consultation=consultation, code="E11.9", primary=True)
    assert list(consultation.diagnoses.filter(is_primary=True)) == [third]
    diagnosis_make_primary(diagnosis=second)
    assert list(consultation.diagnoses.filter(is_primary=True)) == [second]


def test_removing_the_primary_promotes_the_earliest_remaining(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    primary = diagnosis_add(consultation=consultation, code="J06.9")
    second = diagnosis_add(consultation=consultation, code="I10")
    diagnosis_add(consultation=consultation, code="E11.9")
    diagnosis_remove(diagnosis=primary)
    assert list(consultation.diagnoses.filter(is_primary=True)) == [second]


def test_unknown_and_repeated_codes_are_refused(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    with pytest.raises(ValidationError) as unknown:
        diagnosis_add(consultation=consultation, code="ZZ9")
    assert unknown.value.field == "code"
    diagnosis_add(consultation=consultation, code="I10")
    with pytest.raises(ValidationError):
        diagnosis_add(consultation=consultation, code="i10")
    assert consultation.diagnoses.count() == 1


def test_the_database_allows_one_primary_only(clinic: Clinic, in_a) -> None:
    from django.db import IntegrityError

    consultation = clinic.opened()
    diagnosis_add(consultation=consultation, code="I10")
    with pytest.raises(IntegrityError):
        Diagnosis.objects.create(
            consultation=consultation, code="J06.9", title="x", is_primary=True
        )


# -- prescription ----------------------------------------------------------------------


def test_prescribing_makes_one_prescription_with_its_items(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    prescription_item_add(hospital=clinic.hospital, consultation=consultation, details=ASPIRIN)
    prescription_item_add(
        hospital=clinic.hospital,
        consultation=consultation,
        details=PrescriptionItemDetails(medicine="Paracetamol", dose="1 g", frequency="if fever"),
    )
    items = list(prescription_items_of_consultation(consultation_id=consultation.pk))
    assert [i.medicine for i in items] == ["Amoxicillin 500 mg capsules", "Paracetamol"]
    assert items[0].prescription == items[1].prescription
    assert items[0].prescription.patient_id == consultation.patient_id
    number = items[0].prescription.number
    assert prescription_get(number=number.lower()) == items[0].prescription
    assert (
        items[0].prescription.number
        == f"{clinic.hospital.code}-RX-{timezone.localdate().year}-000001"
    )


def test_an_incomplete_item_is_refused_next_to_each_field(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    with pytest.raises(InvalidDetails) as refused:
        prescription_item_add(
            hospital=clinic.hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(medicine=" ", dose="", frequency="", quantity=0),
        )
    assert set(refused.value.errors) == {"medicine", "dose", "frequency", "quantity"}


# -- follow-up -------------------------------------------------------------------------


def test_a_follow_up_takes_the_first_free_slot_of_the_doctors_day(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    day = timezone.localdate() + timedelta(days=7)
    make_appointment(clinic.hospital, doctor=clinic.doctor, day=day, at=time(9))  # 09:00 taken
    follow_up = consultation_book_follow_up(
        consultation=consultation, day=day, booked_by=clinic.doctor_user
    )
    assert follow_up.kind == AppointmentKind.FOLLOW_UP
    assert follow_up.doctor_id == clinic.doctor.pk
    assert follow_up.follow_up_of_id == consultation.appointment_id
    assert timezone.localtime(follow_up.starts_at).time() == time(9, 20)
    assert consultation.follow_up == follow_up
    with pytest.raises(Conflict):
        consultation_book_follow_up(
            consultation=consultation, day=day, booked_by=clinic.doctor_user
        )


def test_a_follow_up_is_refused_today_or_on_a_full_day(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    with pytest.raises(ValidationError):
        consultation_book_follow_up(
            consultation=consultation, day=timezone.localdate(), booked_by=clinic.doctor_user
        )
    day = timezone.localdate() + timedelta(days=3)
    start = datetime.combine(day, time(9))
    while start.time() < time(17):
        make_appointment(clinic.hospital, doctor=clinic.doctor, day=day, at=start.time())
        start += timedelta(minutes=20)
    with pytest.raises(ValidationError) as full:
        consultation_book_follow_up(
            consultation=consultation, day=day, booked_by=clinic.doctor_user
        )
    assert full.value.field == "day"


def test_a_follow_up_skips_the_doctors_unavailability(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    day = timezone.localdate() + timedelta(days=5)
    at = lambda hour, minute=0: timezone.make_aware(datetime.combine(day, time(hour, minute)))  # noqa: E731
    unavailability_create(
        doctor=clinic.doctor, kind=UnavailabilityKind.BLOCKED, starts_at=at(9), ends_at=at(11)
    )
    follow_up = consultation_book_follow_up(
        consultation=consultation, day=day, booked_by=clinic.doctor_user
    )
    assert timezone.localtime(follow_up.starts_at).time() == time(11)
    assert follow_up.consultation_fee == clinic.doctor.consulting_fee


def test_a_follow_up_on_a_day_the_doctor_is_away_is_refused_saying_so(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    day = timezone.localdate() + timedelta(days=5)
    unavailability_create(
        doctor=clinic.doctor,
        kind=UnavailabilityKind.LEAVE,
        starts_at=timezone.make_aware(datetime.combine(day, time(0))),
        ends_at=timezone.make_aware(datetime.combine(day + timedelta(days=1), time(0))),
    )
    with pytest.raises(ValidationError) as refused:
        consultation_book_follow_up(
            consultation=consultation, day=day, booked_by=clinic.doctor_user
        )
    assert refused.value.field == "day" and "unavailable" in refused.value.message
    assert consultation.follow_up_id is None


@pytest.mark.parametrize("policy", [ConflictPolicy.BLOCK, ConflictPolicy.WARN])
def test_a_follow_up_never_lands_on_the_patients_other_appointment(
    clinic: Clinic, in_a, policy: str
) -> None:
    appointment_settings_update(conflict_policy=policy)
    consultation = clinic.opened()
    day = timezone.localdate() + timedelta(days=5)
    other_doctor = make_doctor(clinic.hospital, name="Dr Elçin Quliyev")
    make_appointment(
        clinic.hospital, doctor=other_doctor, patient=consultation.patient, day=day, at=time(9)
    )
    follow_up = consultation_book_follow_up(
        consultation=consultation, day=day, booked_by=clinic.doctor_user
    )
    assert timezone.localtime(follow_up.starts_at).time() == time(9, 20)


def test_two_follow_ups_booked_at_once_take_different_slots(clinic: Clinic) -> None:
    consultations = [clinic.opened(), clinic.opened(at=time(11))]
    day = timezone.localdate() + timedelta(days=5)

    def doctor(consultation: Consultation) -> datetime | None:
        return consultation_book_follow_up(
            consultation=consultation, day=day, booked_by=clinic.doctor_user
        ).starts_at

    with tenant_context(clinic.hospital):
        outcomes = run_at_once(*(partial(doctor, c) for c in consultations))
    booked = [outcome.result for outcome in outcomes]
    times = sorted(timezone.localtime(t).time() for t in booked)
    assert times == [time(9), time(9, 20)], booked


# -- completing, locking, amending -----------------------------------------------------


def test_completing_completes_the_appointment_and_locks_the_record(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    consultation_save_notes(consultation=consultation, notes={"complaint": "Sore throat"})
    with pytest.raises(ValidationError):
        consultation_complete(consultation=consultation, completed_by=clinic.doctor_user)
    diagnosis = diagnosis_add(consultation=consultation, code="J02.9")
    consultation_complete(consultation=consultation, completed_by=clinic.doctor_user)
    consultation.appointment.refresh_from_db()
    assert consultation.status == ConsultationStatus.COMPLETED
    assert consultation.appointment.status == AppointmentStatus.COMPLETED
    locked = [
        lambda: consultation_save_notes(consultation=consultation, notes={"complaint": "x"}),
        lambda: diagnosis_add(consultation=consultation, code="I10"),
        lambda: diagnosis_remove(diagnosis=diagnosis),
        lambda: prescription_item_add(
            hospital=clinic.hospital, consultation=consultation, details=ASPIRIN
        ),
        lambda: consultation_complete(consultation=consultation, completed_by=clinic.doctor_user),
        lambda: vitals_record(
            patient=consultation.patient,
            appointment=consultation.appointment,
            recorded_by=clinic.nurse,
            values=VitalsValues(pulse=70),
        ),
    ]
    for attempt in locked:
        with pytest.raises(Conflict):
            attempt()
    consultation.refresh_from_db()
    assert consultation.complaint == "Sore throat"
    assert consultation.diagnoses.count() == 1


def test_an_amendment_keeps_the_original_and_who_changed_it_and_why(clinic: Clinic, in_a) -> None:
    consultation = clinic.opened()
    consultation_save_notes(consultation=consultation, notes={"assessment": "Viral pharyngitis"})
    diagnosis_add(consultation=consultation, code="J02.9")
    with pytest.raises(Conflict):  # an open record is edited, not amended
        consultation_amend(
            consultation=consultation,
            field="assessment",
            new_value="x",
            reason="y",
            author=clinic.doctor_user,
        )
    consultation_complete(consultation=consultation, completed_by=clinic.doctor_user)
    with pytest.raises(ValidationError):
        consultation_amend(
            consultation=consultation,
            field="assessment",
            new_value="Strep",
            reason=" ",
            author=clinic.doctor_user,
        )
    amendment = consultation_amend(
        consultation=consultation,
        field="assessment",
        new_value="Streptococcal pharyngitis",
        reason="Rapid strep test came back positive",
        author=clinic.doctor_user,
    )
    assert (amendment.old_value, amendment.new_value) == (
        "Viral pharyngitis",
        "Streptococcal pharyngitis",
    )
    assert amendment.author_id == clinic.doctor_user.pk
    assert consultation.assessment == "Streptococcal pharyngitis"
    assert consultation.status == ConsultationStatus.COMPLETED


def test_the_patients_history_shows_visits_with_diagnoses_and_medicines(clinic: Clinic) -> None:
    with tenant_context(clinic.hospital):
        consultation = clinic.opened()
        diagnosis_add(consultation=consultation, code="J02.9")
        prescription_item_add(hospital=clinic.hospital, consultation=consultation, details=ASPIRIN)
        [entry] = [e for e in collect(consultation.patient) if e.kind == "Consultation"]
    assert "J02.9" in entry.detail and "Amoxicillin" in entry.detail
    assert entry.url == f"/consultations/{consultation.pk}/"


def test_other_hospitals_never_see_the_consultation(clinic: Clinic, hospital_b: Hospital) -> None:
    with tenant_context(clinic.hospital):
        clinic.opened()
    with tenant_context(hospital_b):
        assert Consultation.objects.count() == 0


def test_an_edit_racing_the_completion_lands_before_it_or_is_refused(clinic: Clinic) -> None:
    with tenant_context(clinic.hospital):
        consultation = clinic.opened()
        diagnosis_add(consultation=consultation, code="J02.9")

    def complete() -> None:
        consultation_complete(
            consultation=Consultation.objects.get(pk=consultation.pk),
            completed_by=clinic.doctor_user,
        )

    def edit() -> None:
        diagnosis_add(consultation=Consultation.objects.get(pk=consultation.pk), code="I10")

    with tenant_context(clinic.hospital):
        completing, editing = run_at_once(complete, edit)
    outcomes = {
        name: "refused" if outcome.refused(Conflict) else "done"
        for name, outcome in (("complete", completing), ("edit", editing))
    }
    assert outcomes["complete"] == "done"
    assert outcomes["edit"] in {"done", "refused"}
    with tenant_context(clinic.hospital):
        completed = Consultation.objects.get(pk=consultation.pk)
        codes = set(completed.diagnoses.values_list("code", flat=True))
        assert completed.completed_at is not None
        assert all(d.added_at <= completed.completed_at for d in completed.diagnoses.all())
    assert codes == ({"J02.9", "I10"} if outcomes["edit"] == "done" else {"J02.9"})


def test_a_diagnosis_of_a_completed_consultation_is_corrected_by_amendment(
    clinic: Clinic, in_a
) -> None:
    consultation = clinic.opened()
    diagnosis = diagnosis_add(consultation=consultation, code="J02.9")
    with pytest.raises(Conflict):
        diagnosis_amend(
            diagnosis=diagnosis, new_code="J03.9", reason="x", author=clinic.doctor_user
        )
    consultation_complete(consultation=consultation, completed_by=clinic.doctor_user)
    with pytest.raises(ValidationError):
        diagnosis_amend(diagnosis=diagnosis, new_code="nope", reason="x", author=clinic.doctor_user)
    amendment = diagnosis_amend(
        diagnosis=diagnosis,
        new_code="j03.9",
        reason="Tonsils, not pharynx",
        author=clinic.doctor_user,
    )
    assert amendment.old_value == "J02.9 Acute pharyngitis, unspecified"
    assert amendment.new_value == "J03.9 Acute tonsillitis, unspecified"
    assert (diagnosis.code, diagnosis.is_primary) == ("J03.9", True)
    assert amendment.field_label == "Diagnosis"
