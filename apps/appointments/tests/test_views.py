from __future__ import annotations

from django.test import Client

from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.tenancy.models import Hospital


def test_the_day_list_shows_todays_appointments(hospital_a: Hospital, client_a: Client) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    response = client_a.get("/appointments/")
    assert response.status_code == 200
    assert appointment.patient.number in response.content.decode()


def test_another_hospitals_user_cannot_see_the_day_list(
    hospital_a: Hospital, client_b: Client
) -> None:
    make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    response = Client(HTTP_HOST=hospital_a.host)
    response.cookies = client_b.cookies
    assert response.get("/appointments/").status_code in (302, 403)
