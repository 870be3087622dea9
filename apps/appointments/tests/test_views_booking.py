"""Appointments views: booking."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.appointments import services
from apps.appointments.models import (
    Appointment,
    AppointmentStatus,
    ConflictPolicy,
    DoctorUnavailability,
    UnavailabilityKind,
)
from apps.appointments.tests.conftest import HTMX, slot_post
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import ALL_DAY, NEXT_WEEK, at
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_booking_page_shows_the_grid_with_taken_slots_not_choosable(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(9, 20))
    page = desk_a.get(
        "/appointments/book/",
        {"patient": str(patient.pk), "doctor": str(doctor.pk), "date": NEXT_WEEK.isoformat()},
    )
    assert page.status_code == 200
    assert 'value="09:20" class="slot taken" disabled>' in page.text
    assert 'value="09:40" class="slot free">' in page.text


def test_the_booking_page_answers_htmx_with_the_booking_fragment(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    fragment = desk_a.get("/appointments/book/", {"doctor": doctor.pk}, **HTMX)
    assert fragment.text.lstrip().startswith('<div id="booking"') and "<html" not in fragment.text
    assert 'class="slot' in fragment.text


def test_the_patient_picker_finds_patients_and_keeps_the_doctor_and_day(
    hospital_a: Hospital, desk_a: Client
) -> None:
    patient = register(hospital_a, first_name="Aysel")
    fragment = desk_a.get(
        "/appointments/book/patients/", {"q": "aysel", "doctor": "3", "date": "2030-01-02"}, **HTMX
    )
    assert fragment.text.lstrip().startswith('<div id="patient-results"')
    assert f"patient={patient.pk}" in fragment.text and "doctor=3" in fragment.text
    assert "<html" in desk_a.get("/appointments/book/patients/", {"q": "aysel"}).text


def test_a_receptionist_books_a_free_slot(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, reason="Cough"))
    with tenant_context(hospital_a):
        appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    assert appointment.starts_at == at(NEXT_WEEK, 10) and appointment.reason == "Cough"


def test_an_htmx_booking_redirects_the_client(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor), **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/appointments/")


def test_a_taken_slot_is_refused_with_the_reason_next_to_the_grid(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert response.status_code == 400
    assert re.search(r'id="id_time_error">[^<]*already sees', response.text)
    with tenant_context(hospital_a):
        assert Appointment.objects.count() == 1


def test_a_bad_time_is_reported_next_to_the_field(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, at_time="25:99"))
    assert response.status_code == 400 and 'id="id_time_error"' in response.text


def test_a_booking_without_a_patient_says_so(hospital_a: Hospital, desk_a: Client) -> None:
    doctor = make_doctor(hospital_a)
    data = {**slot_post(register(hospital_a), doctor), "patient": ""}
    response = desk_a.post("/appointments/book/slot/", data)
    assert response.status_code == 400 and "Choose the patient first." in response.text


def test_a_warned_clash_asks_for_a_confirmation_then_books(
    hospital_a: Hospital, desk_a: Client
) -> None:
    with tenant_context(hospital_a):
        services.appointment_settings_update(conflict_policy=ConflictPolicy.WARN)
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    warned = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert warned.status_code == 200 and "Book anyway" in warned.text
    assert 'name="confirm" value="on"' in warned.text
    confirmed = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, confirm="on"))
    assert confirmed.status_code == 302
    with tenant_context(hospital_a):
        assert Appointment.objects.filter(patient=patient).count() == 1


def test_a_walk_in_joins_the_queue_from_the_booking_page(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    page = desk_a.get("/appointments/book/", {"patient": str(patient.pk), "doctor": str(doctor.pk)})
    assert "/appointments/book/walk-in/" in page.text
    response = desk_a.post(
        "/appointments/book/walk-in/", {"patient": patient.pk, "doctor": doctor.pk}
    )
    assert response.status_code == 302
    with tenant_context(hospital_a):
        walk_in = Appointment.objects.get()
    assert walk_in.status == AppointmentStatus.CHECKED_IN and walk_in.queue_number == 1


def test_a_refused_walk_in_says_why(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    now = timezone.now()
    with tenant_context(hospital_a):
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.LEAVE,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        )
    response = desk_a.post(
        "/appointments/book/walk-in/", {"patient": patient.pk, "doctor": doctor.pk}
    )
    assert response.status_code == 400 and "is unavailable (Leave)" in response.text


def test_the_patients_and_doctors_pages_link_to_booking(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    assert (
        f"/appointments/book/?patient={patient.pk}" in desk_a.get(f"/patients/{patient.pk}/").text
    )
    assert f"/appointments/book/?doctor={doctor.pk}" in desk_a.get(f"/doctors/{doctor.pk}/").text


def test_an_unknown_doctor_is_reported_not_a_server_error(
    hospital_a: Hospital, desk_a: Client
) -> None:
    patient = register(hospital_a)
    response = desk_a.post(
        "/appointments/book/slot/", {**slot_post(patient, make_doctor(hospital_a)), "doctor": "999"}
    )
    assert response.status_code == 400 and 'id="id_doctor_error"' in response.text
    with tenant_context(hospital_a):
        assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2020-02-30"])
def test_days_beyond_reach_are_refused_not_a_server_error(
    hospital_a: Hospital, client_a: Client, booked: Appointment, day: str
) -> None:
    doctor, patient = booked.doctor, register(hospital_a)
    page = client_a.get("/appointments/book/", {"doctor": str(doctor.pk), "date": day})
    assert page.status_code == 200 and 'class="slot' not in page.text
    assert client_a.get("/appointments/", {"date": day}).status_code == 200
    assert client_a.get(f"/appointments/{booked.pk}/reschedule/", {"date": day}).status_code == 200
    booking = {**slot_post(patient, doctor), "date": day, "time": "23:59"}
    assert client_a.post("/appointments/book/slot/", booking).status_code == 400
    moved = client_a.post(f"/appointments/{booked.pk}/reschedule/", {"date": day, "time": "23:59"})
    assert moved.status_code == 400
    period = {"doctor": doctor.pk, "kind": "leave", "date_from": day, "date_to": day}
    assert client_a.post("/appointments/unavailability/add/", period).status_code == 400
    with tenant_context(hospital_a):
        assert Appointment.objects.count() == 1 and not DoctorUnavailability.objects.exists()


def test_a_warned_walk_in_is_added_after_a_confirmation(
    hospital_a: Hospital, desk_a: Client
) -> None:
    with tenant_context(hospital_a):
        services.appointment_settings_update(conflict_policy=ConflictPolicy.WARN)
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    walk_in = {"patient": str(patient.pk), "doctor": str(doctor.pk), "reason": "Fever"}
    assert desk_a.post("/appointments/book/walk-in/", walk_in).status_code == 302
    warned = desk_a.post("/appointments/book/walk-in/", walk_in)
    assert warned.status_code == 200 and "Add to the queue anyway" in warned.text
    assert "already in Dr Leyla Məmmədova&#x27;s queue today" in warned.text
    confirmed = desk_a.post("/appointments/book/walk-in/", {**walk_in, "confirm": "on"})
    assert confirmed.status_code == 302
    with tenant_context(hospital_a):
        queue = sorted(n or 0 for n in Appointment.objects.values_list("queue_number", flat=True))
    assert queue == [1, 2]
