"""Two desks at once, with real threads against the hospital's real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from functools import partial

from django.db import connections

from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.services import BookingRefused, appointment_book, appointment_reschedule
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import NEXT_WEEK, at
from apps.appointments.transitions import appointment_cancel
from apps.core.testing import run_at_once
from apps.patients.tests.factories import register
from apps.tenancy.connections import hospital_alias
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def at_once(hospital: Hospital, actions: list[Callable[[], object]]) -> list[object]:
    """Run ``actions`` at once at two (or more) desks of ``hospital``; each returns its
    result or error."""
    with tenant_context(hospital):
        return [outcome.value_or_error for outcome in run_at_once(*actions)]


def test_a_hospitals_database_opens_immediate_transactions(hospital_a: Hospital) -> None:
    # What the booking's serialization relies on (see apps.appointments.services): the
    # write lock is taken when the transaction begins, before the clash check reads.
    with tenant_context(hospital_a):
        Appointment.objects.exists()  # registers and opens the hospital's connection
        connection = connections[hospital_alias(hospital_a)]
        assert connection.vendor == "sqlite"
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_desks_taking_one_slot_at_once_exactly_one_succeeds(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    patients = [register(hospital_a, first_name=name) for name in ("Aysel", "Tural", "Günay")]
    slot = at(NEXT_WEEK, 10)
    outcomes = at_once(
        hospital_a,
        [
            partial(appointment_book, patient=patient, doctor=doctor, starts_at=slot)
            for patient in patients
        ],
    )
    booked = [o for o in outcomes if isinstance(o, Appointment)]
    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(booked) == 1 and len(refused) == 2, outcomes
    assert all("already sees" in r.message for r in refused)
    with tenant_context(hospital_a):
        assert Appointment.objects.filter(doctor=doctor, starts_at=slot).count() == 1


def test_one_patient_booked_with_two_doctors_at_once_gets_one(hospital_a: Hospital) -> None:
    doctors = [make_doctor(hospital_a), make_doctor(hospital_a, name="Dr Rauf Əliyev")]
    patient = register(hospital_a)
    slot = at(NEXT_WEEK, 10)
    outcomes = at_once(
        hospital_a,
        [
            partial(appointment_book, patient=patient, doctor=doctor, starts_at=slot)
            for doctor in doctors
        ],
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Appointment", "BookingRefused"]
    with tenant_context(hospital_a):
        assert Appointment.objects.filter(patient=patient).count() == 1


def test_a_reschedule_and_a_booking_racing_for_one_slot_cannot_both_win(
    hospital_a: Hospital,
) -> None:
    doctor = make_doctor(hospital_a)
    moving = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(9))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=moving, reason="Patient called")
    newcomer = register(hospital_a, first_name="Aysel")
    slot = at(NEXT_WEEK, 11)
    outcomes = at_once(
        hospital_a,
        [
            lambda: appointment_reschedule(appointment=moving, starts_at=slot),
            lambda: appointment_book(patient=newcomer, doctor=doctor, starts_at=slot),
        ],
    )
    assert sum(isinstance(o, BookingRefused) for o in outcomes) == 1, outcomes
    with tenant_context(hospital_a):
        active = Appointment.objects.filter(
            doctor=doctor, starts_at=slot, status=AppointmentStatus.SCHEDULED
        )
        assert active.count() == 1
