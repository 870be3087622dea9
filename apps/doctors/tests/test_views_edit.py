"""Doctors views: edit."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.services import LoginAction, doctor_create
from apps.doctors.tests.conftest import (
    MakeDoctor,
    Place,
    details_at,
    doctors_of,
    form_data,
    is_fragment,
    staff_client,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client


def test_the_edit_form_is_filled_with_the_doctor(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = client_a.get(f"/doctors/{doctor.pk}/edit/")
    assert response.status_code == 200
    assert 'value="Rəşad Məmmədov"' in response.text
    assert f'<option value="{baku.clinic.pk}" selected>' in response.text
    assert 'name="schedule_0-ends_at" value="13:00"' in response.text


def test_editing_changes_the_doctor_and_the_week(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    data = form_data(ganja, consulting_fee="55", is_active="")
    data.update(
        {
            "schedule_0-works": "",
            "schedule_4-works": "on",
            "schedule_4-starts_at": "14:00",
            "schedule_4-ends_at": "18:00",
            "schedule_4-slot_minutes": "30",
        }
    )
    response = client_a.post(f"/doctors/{doctor.pk}/edit/", data)
    assert response.status_code == 302
    [edited] = doctors_of(hospital_a)
    assert edited.clinic_id == ganja.clinic.pk and str(edited.consulting_fee) == "55.00"
    assert not edited.is_active
    assert [row.weekday for row in edited.schedule.all()] == [4]


def test_an_edit_with_an_inconsistent_chain_changes_nothing(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    response = client_a.post(
        f"/doctors/{doctor.pk}/edit/", form_data(ganja, city=baku.city.pk), HTTP_HX_REQUEST="true"
    )
    assert is_fragment(response) and 'id="id_city_error"' in response.text
    assert doctors_of(hospital_a)[0].region_id == baku.region.pk


def test_editing_can_unlink_the_login(client_a: Client, hospital_a: Hospital, baku: Place) -> None:
    with tenant_context(hospital_a):
        doctor = doctor_create(
            hospital=hospital_a, details=details_at(baku), login=LoginAction.CREATE
        ).doctor
    page = client_a.get(f"/doctors/{doctor.pk}/edit/")
    assert "Remove the link" in page.text
    client_a.post(f"/doctors/{doctor.pk}/edit/", form_data(baku, login="unlink"))
    assert doctors_of(hospital_a)[0].user_id is None


def test_only_hospital_admins_may_edit(
    hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    nurse = staff_client(hospital_a, Role.NURSE)
    assert nurse.get(f"/doctors/{doctor.pk}/").status_code == 200
    assert nurse.post(f"/doctors/{doctor.pk}/edit/", form_data(baku)).status_code == 403


def test_the_edit_page_refuses_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.get(f"/doctors/{doctor.pk}/edit/").status_code == 403


def test_the_edit_page_answers_only_get_and_post(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_a.put(f"/doctors/{doctor.pk}/edit/").status_code == 405
