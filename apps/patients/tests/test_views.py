from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.patients import history
from apps.patients.models import Patient
from apps.patients.tests.factories import form_data, register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def patients_of(hospital: Hospital) -> list[Patient]:
    with tenant_context(hospital):
        return list(Patient.objects.all())


@pytest.fixture
def receptionist_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


# -- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.DOCTOR, Role.NURSE, Role.ACCOUNTANT])
def test_front_desk_clinicians_and_billing_may_use_patients(
    hospital_a: Hospital, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/patients/").status_code == 200
    assert "Patients" in client.get("/").text


@pytest.mark.parametrize("role", [Role.PHARMACIST, Role.LAB_TECHNICIAN, Role.PATIENT])
def test_other_roles_may_not_use_patients(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/patients/").status_code == 403
    assert client.get("/patients/register/").status_code == 403


def test_accountants_look_patients_up_but_may_not_register_or_edit_them(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, make_user(hospital_a, Role.ACCOUNTANT))
    listing = client.get("/patients/")
    assert listing.status_code == 200 and "Register a patient" not in listing.text
    detail = client.get(f"/patients/{patient.pk}/")
    assert detail.status_code == 200 and f"/patients/{patient.pk}/edit/" not in detail.text
    assert client.get("/patients/register/").status_code == 403
    assert client.post("/patients/register/", form_data()).status_code == 403
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403
    assert len(patients_of(hospital_a)) == 1


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.NURSE, Role.DOCTOR])
def test_front_desk_and_clinicians_see_register_and_edit(hospital_a: Hospital, role: str) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert "Register a patient" in client.get("/patients/").text
    assert f"/patients/{patient.pk}/edit/" in client.get(f"/patients/{patient.pk}/").text
    assert client.get("/patients/register/").status_code == 200


def test_a_hospital_without_the_module_answers_404(hospital_a: Hospital, client_a: Client) -> None:
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "patients"]
    hospital_a.save()
    assert client_a.get("/patients/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", ["/patients/", "/patients/register/"])
def test_a_user_of_another_hospital_is_refused(
    hospital_a: Hospital, admin_b: User, path: str
) -> None:
    assert hospital_client(hospital_a, admin_b).get(path).status_code == 403


def test_patient_pages_of_another_hospital_are_refused_to_its_outsiders(
    hospital_a: Hospital, admin_b: User
) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, admin_b)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403


def test_a_patient_id_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client
) -> None:
    patient = register(hospital_a)
    assert client_b.get(f"/patients/{patient.pk}/").status_code == 404
    assert client_b.get(f"/patients/{patient.pk}/edit/").status_code == 404
    response = client_b.post(f"/patients/{patient.pk}/edit/", form_data(last_name="Hacked"))
    assert response.status_code == 404
    assert patients_of(hospital_a)[0].last_name == "Aliyev"


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/patients/"), ("put", "/patients/register/"), ("delete", "/patients/register/")],
)
def test_wrong_methods_are_refused(client_a: Client, method: str, path: str) -> None:
    assert getattr(client_a, method)(path).status_code == 405


def test_wrong_methods_on_a_patient_are_refused(hospital_a: Hospital, client_a: Client) -> None:
    patient = register(hospital_a)
    assert client_a.post(f"/patients/{patient.pk}/").status_code == 405
    assert client_a.delete(f"/patients/{patient.pk}/edit/").status_code == 405


# -- list and search --------------------------------------------------------------------


def test_the_list_shows_the_hospitals_patients(
    hospital_a: Hospital, hospital_b: Hospital, receptionist_a: Client
) -> None:
    ours = register(hospital_a)
    register(hospital_b, first_name="Outsider")
    page = receptionist_a.get("/patients/")
    assert page.status_code == 200 and "<html" in page.text
    assert ours.number in page.text and "Outsider" not in page.text
    assert 'hx-trigger="input changed delay:300ms, search"' in page.text


def test_typing_in_the_search_box_returns_only_the_table_fragment(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    register(hospital_a)
    register(hospital_a, first_name="Samir", last_name="Quliyev", phone="055 987 65 43")
    response = receptionist_a.get("/patients/", {"q": "sam"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="patient-results"' in response.text
    assert "Samir" in response.text and "Nizami" not in response.text


def test_the_search_works_as_a_plain_page_too(hospital_a: Hospital, receptionist_a: Client) -> None:
    register(hospital_a)
    page = receptionist_a.get("/patients/", {"q": "nobody"})
    assert "<html" in page.text and "No patient matches “nobody”" in page.text


def test_the_list_is_paginated_and_keeps_the_query(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    for n in range(30):
        register(hospital_a, first_name=f"Person{n:02d}", phone=f"+99450{n:07d}")
    first = receptionist_a.get("/patients/", {"q": "person"}, **HTMX)
    assert first.text.count("<tr>") == 26  # header + 25
    assert "Page 1" in first.text and "q=person&amp;page=2" in first.text
    assert " in all" not in first.text  # nothing counts every match
    second = receptionist_a.get("/patients/", {"q": "person", "page": "2"}, **HTMX)
    assert second.text.count("<tr>") == 6 and "Person00" in second.text
    assert 'rel="next"' not in second.text and "page=1" in second.text


def test_a_history_restore_gets_the_whole_page(receptionist_a: Client) -> None:
    response = receptionist_a.get("/patients/", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.text


# -- registration -----------------------------------------------------------------------


def test_the_registration_form_is_a_page_or_a_fragment(receptionist_a: Client) -> None:
    page = receptionist_a.get("/patients/register/")
    assert page.status_code == 200 and "<html" in page.text and 'name="birth_date"' in page.text
    fragment = receptionist_a.get("/patients/register/", **HTMX)
    assert "<html" not in fragment.text and 'id="patient-form"' in fragment.text


def test_registering_a_patient_opens_their_page(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    response = receptionist_a.post("/patients/register/", form_data())
    [patient] = patients_of(hospital_a)
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    assert patient.number == f"{hospital_a.code}-PAT-000001"
    assert patient.registered_by_id is not None
    page = receptionist_a.get(response["Location"])
    assert f"Registered Nizami Aliyev ({patient.number})" in page.text


def test_registering_through_htmx_redirects_the_browser(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    response = receptionist_a.post("/patients/register/", form_data(), **HTMX)
    [patient] = patients_of(hospital_a)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/patients/{patient.pk}/"


def test_validation_errors_are_shown_next_to_their_fields(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    data = form_data(phone="call me", email="nizami@", birth_date="1880-01-01")
    data["first_name"] = ""
    response = receptionist_a.post("/patients/register/", data)
    assert response.status_code == 200 and "<html" in response.text
    errors = dict(re.findall(r'id="id_(\w+)_error">([^<]+)<', response.text))
    assert set(errors) == {"first_name", "phone", "email", "birth_date"}
    assert "more than 120 years" in errors["birth_date"]
    assert "valid phone number" in errors["phone"]
    assert 'value="Aliyev"' in response.text  # what was typed is kept
    assert patients_of(hospital_a) == []


def test_validation_errors_come_back_as_the_form_fragment_for_htmx(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    response = receptionist_a.post(
        "/patients/register/", form_data(birth_date="2999-01-01"), **HTMX
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="id_birth_date_error">The date of birth cannot be in the future.' in response.text
    assert patients_of(hospital_a) == []


def test_a_likely_duplicate_is_shown_with_continue_and_cancel(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    existing = register(hospital_a)
    response = receptionist_a.post("/patients/register/", form_data(phone="070 000 00 00"), **HTMX)
    assert "This patient may already be registered" in response.text
    assert existing.number in response.text
    assert f'name="confirm_duplicates" value="{existing.pk}"' in response.text
    assert 'href="/patients/">Cancel' in response.text
    assert len(patients_of(hospital_a)) == 1


def test_continue_registers_the_patient_anyway(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    existing = register(hospital_a)
    data = {**form_data(), "confirm_duplicates": str(existing.pk)}
    response = receptionist_a.post("/patients/register/", data)
    assert response.status_code == 302
    assert len(patients_of(hospital_a)) == 2


def test_continue_sent_twice_registers_the_patient_once(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    existing = register(hospital_a)
    data = {**form_data(), "confirm_duplicates": str(existing.pk)}
    first = receptionist_a.post("/patients/register/", data)
    again = receptionist_a.post("/patients/register/", data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]  # to the patient the first one registered
    assert len(patients_of(hospital_a)) == 2


def test_a_continue_that_confirms_nothing_shows_the_warning_again(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    register(hospital_a)
    data = {**form_data(), "confirm_duplicates": "on"}
    response = receptionist_a.post("/patients/register/", data)
    assert response.status_code == 200
    assert "This patient may already be registered" in response.text
    assert len(patients_of(hospital_a)) == 1


def test_a_portal_login_is_shown_once_and_never_logged(
    hospital_a: Hospital, receptionist_a: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = receptionist_a.post("/patients/register/", {**form_data(), "portal_account": "on"})
    assert response.status_code == 200 and "<html" in response.text
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.text)
    assert password is not None
    [patient] = patients_of(hospital_a)
    assert patient.user_id is not None
    user = User.objects.get(pk=patient.user_id)
    assert user.role == Role.PATIENT and user.check_password(password.group(1))
    assert "no-store" in response["Cache-Control"]
    assert password.group(1) not in caplog.text
    detail = receptionist_a.get(f"/patients/{patient.pk}/")
    assert user.username in detail.text and password.group(1) not in detail.text


def test_the_portal_login_result_is_a_fragment_for_htmx(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    response = receptionist_a.post(
        "/patients/register/", {**form_data(), "portal_account": "on"}, **HTMX
    )
    assert "<html" not in response.text and 'data-testid="temporary-password"' in response.text


# -- detail and edit --------------------------------------------------------------------


def test_the_detail_page_shows_the_patient_and_an_empty_history(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    patient = register(hospital_a)
    page = receptionist_a.get(f"/patients/{patient.pk}/")
    assert page.status_code == 200 and "<html" in page.text
    for shown in (
        patient.number,
        "Nizami Aliyev",
        "Penicillin",
        "+994 50 123 45 67",
        "O+",
        "Leyla",
    ):
        assert shown in page.text
    assert "Nothing recorded yet" in page.text


def test_the_detail_fragment_is_served_to_htmx(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    patient = register(hospital_a)
    fragment = receptionist_a.get(f"/patients/{patient.pk}/", **HTMX)
    assert "<html" not in fragment.text and 'id="patient"' in fragment.text


def test_entries_of_a_history_provider_appear_on_the_detail_page(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    from django.utils import timezone

    patient = register(hospital_a)
    history.register_provider(
        "test-lab",
        lambda p: [history.HistoryEntry(when=timezone.now(), kind="Lab result", title="CBC")],
    )
    try:
        page = receptionist_a.get(f"/patients/{patient.pk}/")
    finally:
        history.unregister_provider("test-lab")
    assert "Lab result" in page.text and "CBC" in page.text
    assert "Nothing recorded yet" not in page.text


def test_the_edit_form_is_filled_and_saves(hospital_a: Hospital, receptionist_a: Client) -> None:
    patient = register(hospital_a)
    form = receptionist_a.get(f"/patients/{patient.pk}/edit/")
    assert form.status_code == 200 and 'value="Nizami"' in form.text and "<html" in form.text
    response = receptionist_a.post(
        f"/patients/{patient.pk}/edit/", form_data(last_name="Mammadli", allergies="")
    )
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    [saved] = patients_of(hospital_a)
    assert (
        saved.last_name == "Mammadli" and saved.allergies == "" and saved.number == patient.number
    )


def test_the_edit_form_shows_errors_and_htmx_gets_the_fragment(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    patient = register(hospital_a)
    fragment = receptionist_a.get(f"/patients/{patient.pk}/edit/", **HTMX)
    assert "<html" not in fragment.text and 'id="patient-form"' in fragment.text
    response = receptionist_a.post(
        f"/patients/{patient.pk}/edit/", form_data(email="not-an-email"), **HTMX
    )
    assert "<html" not in response.text
    assert 'id="id_email_error">Enter a valid email address.' in response.text
    assert patients_of(hospital_a)[0].email == "nizami@example.com"
    saved = receptionist_a.post(f"/patients/{patient.pk}/edit/", form_data(), **HTMX)
    assert saved["HX-Redirect"] == f"/patients/{patient.pk}/"
