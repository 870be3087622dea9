from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.appointments import services
from apps.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConflictPolicy,
    DoctorUnavailability,
    UnavailabilityKind,
)
from apps.appointments.selectors import (
    ConflictKind,
    SlotState,
    appointment_settings_get,
    slot_grid,
    unavailability_collisions,
)
from apps.appointments.services import (
    BookingClash,
    BookingNeedsConfirmation,
    BookingRefused,
    appointment_book,
    appointment_reschedule,
    appointment_walk_in,
)
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_cancel, appointment_check_in
from apps.core.exceptions import Conflict, ValidationError
from apps.doctors.models import Doctor, DoctorSchedule
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

NEXT_WEEK = timezone.localdate() + timedelta(days=7)
#: a doctor's hours covering the whole day, so a walk-in is within them whenever it runs
ALL_DAY = (time(0), time(23, 59, 59))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def set_policy(hospital: Hospital, policy: str) -> None:
    with tenant_context(hospital):
        services.appointment_settings_update(conflict_policy=policy)


def book(hospital: Hospital, **kwargs) -> Appointment:
    kwargs.setdefault("patient", register(hospital))
    with tenant_context(hospital):
        return appointment_book(**kwargs)


# -- the slot grid ------------------------------------------------------------------------


def test_the_grid_cuts_the_doctors_hours_into_slots_of_the_slot_length(
    hospital_a: Hospital,
) -> None:
    doctor = make_doctor(hospital_a, hours=(time(9), time(12)), slot_minutes=30)
    with tenant_context(hospital_a):
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK)
    assert [f"{s.starts_at:%H:%M}" for s in grid.slots] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"
    ]  # fmt: skip
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in grid.slots)
    assert grid.free_count == 6


def test_a_slot_that_would_run_past_closing_is_not_offered(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=(time(9), time(10)), slot_minutes=25)
    with tenant_context(hospital_a):
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK)
    assert [f"{s.starts_at:%H:%M}" for s in grid.slots] == ["09:00", "09:25"]


def test_a_day_without_hours_has_no_slots(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    with tenant_context(hospital_a):
        DoctorSchedule.objects.filter(doctor=doctor, weekday=NEXT_WEEK.weekday()).delete()
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK)
    assert grid.hours is None and grid.slots == []


def test_taken_slots_are_shown_but_not_choosable(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=(time(9), time(11)), slot_minutes=20)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(9, 20))
    cancelled = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=cancelled, reason="Patient called")
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK)
    states = {f"{s.starts_at:%H:%M}": s.state for s in grid.slots}
    assert states["09:20"] is SlotState.TAKEN
    assert states["10:00"] is SlotState.FREE  # a cancelled appointment frees its slot
    assert not next(s for s in grid.slots if s.state is SlotState.TAKEN).choosable
    assert grid.free_count == 5


def test_unavailability_blocks_the_slots_it_covers(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=(time(9), time(17)), slot_minutes=60)
    with tenant_context(hospital_a):
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.BLOCKED,
            starts_at=at(NEXT_WEEK, 13),
            ends_at=at(NEXT_WEEK, 17),
        )
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK)
    states = [s.state for s in grid.slots]
    assert states == [SlotState.FREE] * 4 + [SlotState.BLOCKED] * 4
    assert len(grid.unavailabilities) == 1


def test_slots_that_have_begun_are_past(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=(time(9), time(11)), slot_minutes=30)
    with tenant_context(hospital_a):
        grid = slot_grid(doctor=doctor, day=NEXT_WEEK, now=at(NEXT_WEEK, 10, 10))
    states = [s.state for s in grid.slots]
    assert states == [SlotState.PAST, SlotState.PAST, SlotState.PAST, SlotState.FREE]


# -- booking ------------------------------------------------------------------------------


def test_a_booking_takes_the_slot_and_records_the_doctors_fee(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, fee=Decimal("45.50"), slot_minutes=15)
    appointment = book(hospital_a, doctor=doctor, starts_at=at(NEXT_WEEK, 9, 15))
    assert appointment.status == AppointmentStatus.SCHEDULED
    assert appointment.date == NEXT_WEEK
    assert appointment.ends_at == at(NEXT_WEEK, 9, 30)
    assert appointment.consultation_fee == Decimal("45.50")
    with tenant_context(hospital_a):
        Doctor.objects.filter(pk=doctor.pk).update(consulting_fee=Decimal("90"))
        appointment.refresh_from_db()
    assert appointment.consultation_fee == Decimal("45.50")


def test_a_time_in_the_past_is_refused(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    with pytest.raises(ValidationError) as refused:
        book(hospital_a, doctor=doctor, starts_at=at(NEXT_WEEK, 9), now=at(NEXT_WEEK, 9, 1))
    assert refused.value.field == "starts_at"


def test_an_inactive_doctor_cannot_be_booked(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    with tenant_context(hospital_a):
        Doctor.objects.filter(pk=doctor.pk).update(is_active=False)
        doctor.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        book(hospital_a, doctor=doctor, starts_at=at(NEXT_WEEK, 9))
    assert refused.value.field == "doctor"


def test_a_booking_without_a_time_is_refused(hospital_a: Hospital) -> None:
    with pytest.raises(ValidationError) as refused:
        book(hospital_a, doctor=make_doctor(hospital_a), starts_at=None)
    assert refused.value.field == "starts_at"


@pytest.mark.parametrize("policy", [ConflictPolicy.BLOCK, ConflictPolicy.WARN])
def test_unavailability_refuses_a_booking_whatever_the_rule(
    hospital_a: Hospital, policy: str
) -> None:
    set_policy(hospital_a, policy)
    doctor = make_doctor(hospital_a)
    with tenant_context(hospital_a):
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.LEAVE,
            starts_at=at(NEXT_WEEK, 0),
            ends_at=at(NEXT_WEEK + timedelta(days=1), 0),
        )
    with pytest.raises(ValidationError, match="unavailable"):
        book(hospital_a, doctor=doctor, starts_at=at(NEXT_WEEK, 10), confirm=True)


def _clash(hospital: Hospital, rule: ConflictKind) -> dict:
    """A booking that clashes by ``rule`` with what is already booked."""
    doctor = make_doctor(hospital)
    patient = register(hospital)
    if rule is ConflictKind.DOCTOR_BUSY:
        make_appointment(hospital, doctor=doctor, day=NEXT_WEEK, at=time(10, 10))
        return {"doctor": doctor, "patient": patient, "starts_at": at(NEXT_WEEK, 10)}
    if rule is ConflictKind.PATIENT_BUSY:
        elsewhere = make_doctor(hospital, name="Dr Rauf Əliyev")
        make_appointment(hospital, doctor=elsewhere, patient=patient, day=NEXT_WEEK, at=time(10))
        return {"doctor": doctor, "patient": patient, "starts_at": at(NEXT_WEEK, 10, 10)}
    return {"doctor": doctor, "patient": patient, "starts_at": at(NEXT_WEEK, 16, 50)}


@pytest.mark.parametrize("rule", list(ConflictKind))
def test_a_clash_is_refused_when_the_hospital_blocks_clashes(
    hospital_a: Hospital, rule: ConflictKind
) -> None:
    set_policy(hospital_a, ConflictPolicy.BLOCK)
    booking = _clash(hospital_a, rule)
    with pytest.raises(BookingRefused) as refused:
        book(hospital_a, **booking, confirm=True)
    assert [c.kind for c in refused.value.conflicts] == [rule]
    assert refused.value.field == "starts_at"
    with tenant_context(hospital_a):
        assert not Appointment.objects.filter(patient=booking["patient"], doctor=booking["doctor"])


@pytest.mark.parametrize("rule", list(ConflictKind))
def test_a_clash_needs_a_confirmation_when_the_hospital_warns(
    hospital_a: Hospital, rule: ConflictKind
) -> None:
    set_policy(hospital_a, ConflictPolicy.WARN)
    booking = _clash(hospital_a, rule)
    with pytest.raises(BookingNeedsConfirmation) as warned:
        book(hospital_a, **booking)
    assert [c.kind for c in warned.value.conflicts] == [rule]
    appointment = book(hospital_a, **booking, confirm=True)
    assert appointment.status == AppointmentStatus.SCHEDULED


def test_a_booking_next_to_another_does_not_clash(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, slot_minutes=20)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10), minutes=20)
    appointment = book(hospital_a, doctor=doctor, starts_at=at(NEXT_WEEK, 10, 20))
    assert appointment.starts_at == at(NEXT_WEEK, 10, 20)


def test_a_follow_up_must_follow_the_same_patients_appointment(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    first = make_appointment(hospital_a, doctor=doctor)
    with pytest.raises(ValidationError) as refused:
        book(
            hospital_a,
            doctor=doctor,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=at(NEXT_WEEK, 9),
            follow_up_of=first,
        )
    assert refused.value.field == "follow_up_of"
    follow_up = book(
        hospital_a,
        doctor=doctor,
        patient=first.patient,
        kind=AppointmentKind.FOLLOW_UP,
        starts_at=at(NEXT_WEEK, 9),
        follow_up_of=first,
    )
    assert follow_up.kind == AppointmentKind.FOLLOW_UP and follow_up.follow_up_of == first


# -- walk-ins -----------------------------------------------------------------------------


def test_a_walk_in_joins_todays_queue_checked_in(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=ALL_DAY)
    booked = make_appointment(hospital_a, doctor=doctor)
    with tenant_context(hospital_a):
        appointment_check_in(appointment=booked)
    walk_in = book(hospital_a, doctor=doctor, kind=AppointmentKind.WALK_IN)
    assert walk_in.status == AppointmentStatus.CHECKED_IN
    assert walk_in.starts_at is None and walk_in.date == timezone.localdate()
    assert walk_in.queue_number == 2
    assert walk_in.consultation_fee == doctor.consulting_fee


def test_a_walk_in_is_refused_while_the_doctor_is_away(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, hours=ALL_DAY)
    now = timezone.now()
    with tenant_context(hospital_a):
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.BLOCKED,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        )
    with pytest.raises(ValidationError, match="unavailable"):
        book(hospital_a, doctor=doctor, kind=AppointmentKind.WALK_IN)


@pytest.mark.parametrize("policy", [ConflictPolicy.BLOCK, ConflictPolicy.WARN])
def test_a_patient_already_in_the_doctors_queue_is_a_clash(
    hospital_a: Hospital, policy: str
) -> None:
    set_policy(hospital_a, policy)
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    book(hospital_a, doctor=doctor, patient=patient, kind=AppointmentKind.WALK_IN)
    expected = BookingRefused if policy == ConflictPolicy.BLOCK else BookingNeedsConfirmation
    with pytest.raises(BookingClash) as clash, tenant_context(hospital_a):
        appointment_walk_in(patient=patient, doctor=doctor)
    assert type(clash.value) is expected
    assert [c.kind for c in clash.value.conflicts] == [ConflictKind.PATIENT_BUSY]


@pytest.mark.parametrize("policy", [ConflictPolicy.BLOCK, ConflictPolicy.WARN])
def test_a_walk_in_outside_the_doctors_hours_is_a_clash(hospital_a: Hospital, policy: str) -> None:
    set_policy(hospital_a, policy)
    doctor = make_doctor(hospital_a, hours=(time(9), time(17)))
    evening = at(timezone.localdate(), 18, 30)
    expected = BookingRefused if policy == ConflictPolicy.BLOCK else BookingNeedsConfirmation
    with pytest.raises(BookingClash) as clash:
        book(hospital_a, doctor=doctor, kind=AppointmentKind.WALK_IN, now=evening)
    assert type(clash.value) is expected
    assert [c.kind for c in clash.value.conflicts] == [ConflictKind.OUTSIDE_HOURS]
    assert "It is 18:30, outside" in clash.value.message
    morning = book(
        hospital_a, doctor=doctor, kind=AppointmentKind.WALK_IN, now=at(timezone.localdate(), 10)
    )
    assert morning.queue_number == 1


# -- rescheduling -------------------------------------------------------------------------


def test_rescheduling_is_the_way_back_from_cancelled(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    appointment = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=appointment, reason="Patient called")
        appointment_reschedule(appointment=appointment, starts_at=at(NEXT_WEEK, 11))
    assert appointment.status == AppointmentStatus.SCHEDULED
    assert appointment.starts_at == at(NEXT_WEEK, 11)
    assert appointment.cancel_reason == "" and appointment.cancelled_at is None


def test_rescheduling_does_not_clash_with_the_appointment_itself(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a, slot_minutes=20)
    appointment = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    with tenant_context(hospital_a):
        appointment_reschedule(appointment=appointment, starts_at=at(NEXT_WEEK, 10, 10))
    assert appointment.starts_at == at(NEXT_WEEK, 10, 10)


def test_rescheduling_into_a_taken_slot_is_refused(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(11))
    appointment = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    with tenant_context(hospital_a), pytest.raises(BookingRefused):
        appointment_reschedule(appointment=appointment, starts_at=at(NEXT_WEEK, 11))


def test_a_checked_in_appointment_cannot_be_rescheduled(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    appointment = make_appointment(hospital_a, doctor=doctor, at=time(0))
    with tenant_context(hospital_a):
        appointment_check_in(appointment=appointment)
        with pytest.raises(Conflict):
            appointment_reschedule(appointment=appointment, starts_at=at(NEXT_WEEK, 11))
        appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN


# -- no-shows -----------------------------------------------------------------------------


def test_an_appointment_that_has_not_begun_cannot_be_a_no_show(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a), day=NEXT_WEEK)
    with tenant_context(hospital_a), pytest.raises(ValidationError):
        services.appointment_no_show(appointment=appointment)
    with tenant_context(hospital_a):
        services.appointment_no_show(appointment=appointment, now=at(NEXT_WEEK, 10, 5))
    assert appointment.status == AppointmentStatus.NO_SHOW


def test_the_nightly_job_marks_past_unattended_appointments_no_show(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    today = timezone.localdate()
    yesterday = make_appointment(hospital_a, doctor=doctor, day=today - timedelta(days=1))
    attended = make_appointment(
        hospital_a, doctor=doctor, day=today - timedelta(days=1), at=time(11)
    )
    todays = make_appointment(hospital_a, doctor=doctor, day=today)
    with tenant_context(hospital_a):
        Appointment.objects.filter(pk=attended.pk).update(status=AppointmentStatus.COMPLETED)
        assert services.appointments_mark_no_shows(before=today) == 1
        statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses[yesterday.pk] == AppointmentStatus.NO_SHOW
    assert statuses[attended.pk] == AppointmentStatus.COMPLETED
    assert statuses[todays.pk] == AppointmentStatus.SCHEDULED


# -- unavailability and settings -------------------------------------------------------------


def test_an_unavailability_must_end_after_it_starts(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    with tenant_context(hospital_a), pytest.raises(ValidationError) as refused:
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.LEAVE,
            starts_at=at(NEXT_WEEK, 12),
            ends_at=at(NEXT_WEEK, 12),
        )
    assert refused.value.field == "ends_at"
    with tenant_context(hospital_a):
        assert not DoctorUnavailability.objects.exists()


def test_an_unavailability_lists_the_appointments_it_collides_with(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    inside = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(14))
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    cancelled = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(15))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=cancelled, reason="Moved away")
        period = services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.BLOCKED,
            starts_at=at(NEXT_WEEK, 13),
            ends_at=at(NEXT_WEEK, 17),
        )
        assert list(unavailability_collisions(unavailability=period)) == [inside]


def test_the_booking_rule_defaults_to_refusing_and_can_be_changed(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        assert appointment_settings_get().conflict_policy == ConflictPolicy.BLOCK
        services.appointment_settings_update(conflict_policy=ConflictPolicy.WARN)
        assert appointment_settings_get().conflict_policy == ConflictPolicy.WARN
        with pytest.raises(ValidationError):
            services.appointment_settings_update(conflict_policy="sometimes")
        assert appointment_settings_get().conflict_policy == ConflictPolicy.WARN
