"""Doctors views: detail."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import User
from apps.doctors.services import LoginAction, doctor_create
from apps.doctors.tests.conftest import MakeDoctor, Place, details_at
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client


def test_the_detail_page_shows_the_doctor_hours_and_login(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    with tenant_context(hospital_a):
        saved = doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.CREATE,
            schedule=[],
        )
    assert saved.account is not None and saved.account.temporary_password
    response = client_a.get(f"/doctors/{saved.doctor.pk}/")
    assert response.status_code == 200
    # a canonical specialization is shown in the reader's language (English here)
    assert "Nigar Əliyeva" in response.text and "Cardiologist" in response.text
    assert saved.account.user.username in response.text
    assert saved.account.temporary_password not in response.text  # shown once, not here


def test_the_detail_page_lists_the_weekly_hours(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    response = client_a.get(f"/doctors/{doctor.pk}/")
    assert "Monday" in response.text and "09:00" in response.text and "20 min" in response.text


def test_a_doctor_of_hospital_a_is_not_found_on_hospital_bs_host(
    client_b: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_b.get(f"/doctors/{doctor.pk}/").status_code == 404
    assert client_b.get(f"/doctors/{doctor.pk}/edit/").status_code == 404


def test_the_detail_page_answers_only_get(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_a.post(f"/doctors/{doctor.pk}/").status_code == 405


def test_the_detail_page_refuses_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert hospital_client(hospital_a, admin_b).get(f"/doctors/{doctor.pk}/").status_code == 403
