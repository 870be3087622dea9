"""Doctors views: list."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.tests.conftest import MakeDoctor, Place, is_fragment, staff_client
from apps.tenancy.models import Hospital
from conftest import hospital_client


def test_the_list_shows_the_hospitals_doctors(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = client_a.get("/doctors/")
    assert response.status_code == 200
    assert "Rəşad Məmmədov" in response.text and baku.clinic.name in response.text
    assert "Add a doctor" in response.text


def test_a_receptionist_sees_the_list_but_no_add_button(
    hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = staff_client(hospital_a, Role.RECEPTIONIST).get("/doctors/")
    assert response.status_code == 200 and "Rəşad Məmmədov" in response.text
    assert "Add a doctor" not in response.text


def test_a_role_without_the_module_is_refused(hospital_a: Hospital) -> None:
    assert staff_client(hospital_a, Role.PHARMACIST).get("/doctors/").status_code == 403


def test_searching_as_you_type_returns_only_the_results_fragment(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    make_doctor(hospital_a, baku, full_name="Leyla Hüseynova")
    response = client_a.get("/doctors/", {"q": "leyla"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="doctor-results"' in response.text
    assert "Leyla Hüseynova" in response.text and "Rəşad Məmmədov" not in response.text


def test_the_list_filters_by_specialization_and_by_clinic(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Baku Cardiologist")
    make_doctor(hospital_a, ganja, full_name="Ganja Neurologist")
    by_specialization = client_a.get("/doctors/", {"specialization": ganja.specialization.pk})
    assert "Ganja Neurologist" in by_specialization.text
    assert "Baku Cardiologist" not in by_specialization.text
    by_clinic = client_a.get("/doctors/", {"clinic": baku.clinic.pk})
    assert "Baku Cardiologist" in by_clinic.text
    assert "Ganja Neurologist" not in by_clinic.text


def test_the_list_is_paginated_and_keeps_the_search_in_page_links(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    for number in range(21):
        make_doctor(hospital_a, baku, full_name=f"Doctor {number:02d}")
    first = client_a.get("/doctors/", {"q": "doctor"})
    assert "Doctor 19" in first.text and "Doctor 20" not in first.text
    assert "Page 1 of 2" in first.text and "q=doctor&amp;page=2" in first.text
    second = client_a.get("/doctors/", {"q": "doctor", "page": "2"})
    assert "Doctor 20" in second.text and "Doctor 00" not in second.text


def test_a_search_of_thousands_of_words_is_cut_short_not_a_server_error(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Leyla Hüseynova")
    response = client_a.get("/doctors/", {"q": " ".join(["leyla"] * 2000)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Leyla Hüseynova" in response.text


def test_the_list_answers_only_get(client_a: Client) -> None:
    assert client_a.post("/doctors/").status_code == 405


def test_the_list_refuses_a_user_of_another_hospital(hospital_a: Hospital, admin_b: User) -> None:
    assert hospital_client(hospital_a, admin_b).get("/doctors/").status_code == 403
