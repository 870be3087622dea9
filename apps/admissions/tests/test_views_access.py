"""Admissions views: access, for every page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.admissions.models import AdmissionStatus
from apps.admissions.tests.conftest import GET_AND_POST, Stay, all_urls, stay_in, ward_of
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_every_page_refuses_the_wrong_method(stay: Stay) -> None:
    client = stay.client("admin")
    for method, url in all_urls(stay):
        if method == "get" and url.endswith(GET_AND_POST) and not url.endswith("/setup/wards/"):
            assert client.put(url).status_code == 405, url
            continue
        if url.endswith(f"/setup/wards/{stay.ward.general.pk}/"):
            assert client.delete(url).status_code == 405, url
            continue
        wrong = client.post if method == "get" else client.get
        assert wrong(url).status_code == 405, url


@pytest.mark.parametrize("role", [Role.PHARMACIST, Role.ACCOUNTANT, Role.LAB_TECHNICIAN])
def test_roles_outside_the_module_may_not_use_any_page(stay: Stay, role: str) -> None:
    client = hospital_client(stay.ward.hospital, make_user(stay.ward.hospital, role))
    for method, url in all_urls(stay):
        assert getattr(client, method)(url).status_code == 403, url


def test_only_the_administrator_sets_up_wards(stay: Stay) -> None:
    for role in ("doctor", "nurse", "receptionist"):
        client = stay.client(role)
        for method, url in all_urls(stay):
            if "/setup/" in url:
                assert getattr(client, method)(url).status_code == 403, (role, url)


def test_a_receptionist_admits_but_does_no_clinical_work(stay: Stay) -> None:
    client = stay.client("receptionist")
    assert client.get("/admissions/admit/").status_code == 200
    assert client.get(stay.url).status_code == 200
    for suffix in ("transfer/", "plan/", "vitals/", "notes/", "doses/"):
        assert client.post(f"{stay.url}{suffix}").status_code == 403, suffix
    assert client.get(f"{stay.url}nursing/").status_code == 403
    assert client.get(f"{stay.url}discharge/").status_code == 403
    assert client.post(f"/admissions/beds/{stay.cleaning_bed.pk}/clean/").status_code == 403


def test_a_nurse_may_not_admit_or_discharge(stay: Stay) -> None:
    client = stay.client("nurse")
    assert client.get("/admissions/admit/").status_code == 403
    assert client.get(f"{stay.url}discharge/").status_code == 403
    assert client.post(f"{stay.url}plan/").status_code == 403
    assert client.get("/admissions/requests/new/").status_code == 403
    assert stay.refreshed().status == AdmissionStatus.ADMITTED


def test_users_of_another_hospital_are_refused(stay: Stay, hospital_b: Hospital) -> None:
    outsider = hospital_client(stay.ward.hospital, make_user(hospital_b))
    for method, url in all_urls(stay):
        assert getattr(outsider, method)(url).status_code == 403, url


def test_hospital_a_ids_on_hospital_b_answer_404(stay: Stay, client_b: Client) -> None:
    stay_in(ward_of(Hospital.objects.get(subdomain="lakeside")))  # B has rows of its own
    for method, url in all_urls(stay):
        if not any(ch.isdigit() for ch in url.split("/admissions/")[1]):
            continue
        assert getattr(client_b, method)(url).status_code == 404, url


def test_a_hospital_without_the_module_answers_404(stay: Stay) -> None:
    hospital = stay.ward.hospital
    hospital.enabled_modules = [m for m in hospital.enabled_modules if m != "admissions"]
    hospital.save()
    assert stay.client().get("/admissions/").status_code == 404


def test_malformed_ids_and_days_answer_404_or_today_never_500(stay: Stay) -> None:
    client = stay.client()
    assert client.get("/admissions/admit/?consultation=nonsense").status_code == 404
    assert client.get("/admissions/admit/?request=nonsense").status_code == 404
    assert client.get("/admissions/?ward=nonsense").status_code == 404
    for day in ("2026-02-30", "yesterday", ""):
        page = client.get(f"{stay.url}nursing/?day={day}")
        assert page.status_code == 200
        assert timezone.localdate().strftime("%Y") in page.text
