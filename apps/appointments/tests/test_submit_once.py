"""Booking, a walk-in and a check-in are submitted once: a double click or two tabs at
the same moment give the first one's outcome, never a second appointment; a walk-in or
a check-in sent again later is answered by the appointment's state (warned, refused)."""

from __future__ import annotations

from datetime import time

from apps.accounts.models import Role
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.tests.conftest import slot_post
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import ALL_DAY, NEXT_WEEK
from apps.core.tests.submitting import landed, platform_events_kept_out, post_at_once, racing
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user

__all__ = ["platform_events_kept_out"]  # a fixture, used by name


def appointments_of(hospital: Hospital) -> list[Appointment]:
    with tenant_context(hospital):
        return list(Appointment.objects.all())


@racing
def test_a_double_click_on_book_books_one_appointment(hospital_a: Hospital) -> None:
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    desk = make_user(hospital_a, Role.RECEPTIONIST)
    data = slot_post(patient, doctor, day=NEXT_WEEK)
    first, second = post_at_once(hospital_a, desk, "/appointments/book/slot/", data)
    (appointment,) = appointments_of(hospital_a)
    assert landed(first) == landed(second) == f"/appointments/{appointment.pk}/"


@racing
def test_a_double_click_on_walk_in_queues_the_patient_once(hospital_a: Hospital) -> None:
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    desk = make_user(hospital_a, Role.RECEPTIONIST)
    data = {"patient": str(patient.pk), "doctor": str(doctor.pk), "reason": "Fever"}
    post_at_once(hospital_a, desk, "/appointments/book/walk-in/", data)
    assert len(appointments_of(hospital_a)) == 1


@racing
def test_a_double_click_on_check_in_checks_in_once(hospital_a: Hospital) -> None:
    booked = make_appointment(hospital_a, doctor=make_doctor(hospital_a), at=time(0))
    desk = make_user(hospital_a, Role.RECEPTIONIST)
    answers = post_at_once(hospital_a, desk, f"/appointments/{booked.pk}/check-in/", {})
    (appointment,) = appointments_of(hospital_a)
    assert appointment.status == AppointmentStatus.CHECKED_IN
    assert all(answer.status_code == 302 for answer in answers)
