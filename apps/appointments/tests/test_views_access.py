"""Appointments views: access."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments import services
from apps.appointments.models import (
    Appointment,
    AppointmentStatus,
    DoctorUnavailability,
    UnavailabilityKind,
)
from apps.appointments.tests.conftest import appointment_urls, reload, slot_post
from apps.appointments.tests.factories import make_doctor
from apps.appointments.tests.test_services import NEXT_WEEK, at
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.DOCTOR, Role.NURSE])
def test_the_front_desk_doctors_and_nurses_see_the_board(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/appointments/").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.ACCOUNTANT, Role.PHARMACIST, Role.LAB_TECHNICIAN, Role.PATIENT]
)
def test_other_roles_may_not_use_appointments(
    hospital_a: Hospital, booked: Appointment, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/appointments/").status_code == 403
    assert client.get("/appointments/book/").status_code == 403
    assert client.get(f"/appointments/{booked.pk}/").status_code == 403


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE])
def test_clinicians_look_but_do_not_book_or_move_appointments(
    hospital_a: Hospital, booked: Appointment, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    board = client.get("/appointments/")
    assert booked.patient.full_name in board.text
    assert "Book appointment" not in board.text and "check-in/" not in board.text
    assert client.get(f"/appointments/{booked.pk}/").status_code == 200
    assert client.get("/appointments/book/").status_code == 403
    assert client.post(f"/appointments/{booked.pk}/check-in/").status_code == 403
    assert client.post(f"/appointments/{booked.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


@pytest.mark.parametrize(
    "path",
    [
        "/appointments/unavailability/",
        "/appointments/unavailability/add/",
        "/appointments/settings/",
    ],
)
def test_unavailability_and_rules_are_for_administrators(
    hospital_a: Hospital, desk_a: Client, client_a: Client, path: str
) -> None:
    assert desk_a.get(path).status_code == 403
    assert client_a.get(path).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/appointments/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/appointments/",
        "/appointments/book/",
        "/appointments/book/patients/?q=a",
        "/appointments/unavailability/",
        "/appointments/settings/",
    ],
)
def test_a_user_of_another_hospital_is_refused(
    hospital_a: Hospital, admin_b: User, path: str
) -> None:
    assert hospital_client(hospital_a, admin_b).get(path).status_code == 403


def test_another_hospitals_user_cannot_act_on_an_appointment(
    hospital_a: Hospital, admin_b: User, booked: Appointment
) -> None:
    client = hospital_client(hospital_a, admin_b)
    for method, url in appointment_urls(booked.pk).values():
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 403
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


def test_an_appointment_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client, booked: Appointment
) -> None:
    for method, url in appointment_urls(booked.pk).values():
        assert getattr(client_b, method)(url, {"reason": "x"}).status_code == 404, url
    response = client_b.post(
        f"/appointments/{booked.pk}/reschedule/", {"date": NEXT_WEEK.isoformat(), "time": "10:00"}
    )
    assert response.status_code == 404
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


def test_a_doctor_or_patient_of_hospital_a_cannot_be_booked_on_hospital_bs_host(
    hospital_a: Hospital, hospital_b: Hospital, client_b: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_doctor(hospital_b)  # same id in B's database may exist; the patient does not
    response = client_b.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert response.status_code == 400
    with tenant_context(hospital_b):
        assert not Appointment.objects.exists()


def test_an_unavailability_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client
) -> None:
    with tenant_context(hospital_a):
        period = services.unavailability_create(
            doctor=make_doctor(hospital_a),
            kind=UnavailabilityKind.LEAVE,
            starts_at=at(NEXT_WEEK, 9),
            ends_at=at(NEXT_WEEK, 12),
        )
    assert client_b.get(f"/appointments/unavailability/{period.pk}/").status_code == 404
    assert client_b.post(f"/appointments/unavailability/{period.pk}/delete/").status_code == 404
    with tenant_context(hospital_a):
        assert DoctorUnavailability.objects.filter(pk=period.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/appointments/"),
        ("post", "/appointments/book/"),
        ("get", "/appointments/book/slot/"),
        ("get", "/appointments/book/walk-in/"),
        ("post", "/appointments/unavailability/"),
        ("delete", "/appointments/settings/"),
        ("put", "/appointments/unavailability/add/"),
    ],
)
def test_wrong_methods_are_refused(client_a: Client, method: str, path: str) -> None:
    assert getattr(client_a, method)(path).status_code == 405


def test_wrong_methods_on_an_appointment_are_refused(client_a: Client, booked: Appointment) -> None:
    base = f"/appointments/{booked.pk}/"
    assert client_a.post(base).status_code == 405
    for action in ("check-in/", "cancel/", "no-show/"):
        assert client_a.get(base + action).status_code == 405
    assert client_a.delete(base + "reschedule/").status_code == 405


def test_another_hospitals_user_cannot_book_on_this_host(
    hospital_a: Hospital, admin_b: User
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    client = hospital_client(hospital_a, admin_b)
    assert client.post("/appointments/book/slot/", slot_post(patient, doctor)).status_code == 403
    walk_in = {"patient": str(patient.pk), "doctor": str(doctor.pk)}
    assert client.post("/appointments/book/walk-in/", walk_in).status_code == 403
    with tenant_context(hospital_a):
        assert not Appointment.objects.exists()


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE])
def test_clinicians_see_no_booking_link_on_a_patients_page(hospital_a: Hospital, role: str) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert "/appointments/book/" not in client.get(f"/patients/{patient.pk}/").text
