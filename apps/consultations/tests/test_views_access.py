"""Consultations views: access, for every page."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.consultations.tests.conftest import Visit, all_urls, clinic_of, doctor_only_urls
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_every_page_refuses_the_wrong_method(visit: Visit) -> None:
    client = visit.clinic.client()
    for method, url in all_urls(visit):
        if url.endswith("/vitals/"):  # GET shows the form, POST records
            continue
        wrong = client.post if method == "get" else client.get
        assert wrong(url).status_code == 405, url
    assert client.put(f"/consultations/visits/{visit.appointment.pk}/vitals/").status_code == 405


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.PHARMACIST, Role.ACCOUNTANT])
def test_other_roles_may_not_use_any_page(visit: Visit, role: str) -> None:
    client = hospital_client(visit.clinic.hospital, make_user(visit.clinic.hospital, role))
    for method, url in all_urls(visit):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_nurse_reads_and_records_vitals_but_writes_nothing_of_the_doctors(visit: Visit) -> None:
    nurse = visit.clinic.client(visit.clinic.nurse)
    assert nurse.get(visit.url).status_code == 200
    assert nurse.get(f"/consultations/visits/{visit.appointment.pk}/vitals/").status_code == 200
    for method, url in doctor_only_urls(visit):
        assert getattr(nurse, method)(url).status_code == 403, url
    assert visit.refreshed().status == "open"


def test_another_doctor_may_not_write_into_a_colleagues_consultation(visit: Visit) -> None:
    colleague = clinic_of(visit.clinic.hospital)
    client = colleague.client()
    for method, url in doctor_only_urls(visit):
        assert getattr(client, method)(url).status_code == 403, url
    assert "Save notes" not in client.get(visit.url).text


def test_users_of_another_hospital_are_refused(visit: Visit, hospital_b: Hospital) -> None:
    outsider = hospital_client(visit.clinic.hospital, make_user(hospital_b, Role.DOCTOR))
    for method, url in all_urls(visit):
        assert getattr(outsider, method)(url).status_code == 403, url


def test_hospital_a_ids_on_hospital_b_answer_404(visit: Visit, client_b: Client) -> None:
    for method, url in all_urls(visit):
        if url == "/consultations/":
            continue
        assert getattr(client_b, method)(url).status_code == 404, url


def test_a_hospital_without_the_module_answers_404(visit: Visit) -> None:
    hospital = visit.clinic.hospital
    hospital.enabled_modules = [m for m in hospital.enabled_modules if m != "consultations"]
    hospital.save()
    assert visit.clinic.client().get("/consultations/").status_code == 404
