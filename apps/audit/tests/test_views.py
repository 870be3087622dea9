"""The hospital's audit log page (staff module, administrators)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.patients.tests.factories import register
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
URL = "/staff/audit/"


def test_the_administrator_sees_the_log_newest_first(
    hospital_a: Hospital, client_a: Client
) -> None:
    first = register(hospital_a, first_name="Aysel", phone="+994 50 000 00 01")
    second = register(hospital_a, first_name="Rauf", phone="+994 50 000 00 02")
    page = client_a.get(URL)
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.index(second.number) < page.text.index(first.number)
    assert "patient.registered" in page.text


def test_searching_returns_the_fragment_with_matching_entries(
    hospital_a: Hospital, client_a: Client
) -> None:
    register(hospital_a, phone="+994 50 000 00 01")
    nurse = make_user(hospital_a, Role.NURSE)
    hospital_client(hospital_a).post("/login/", {"username": nurse.username, "password": "bad"})
    response = client_a.get(URL, {"q": nurse.username}, **HTMX)
    assert "<html" not in response.text and 'id="audit-results"' in response.text
    assert "session.sign_in_failed" in response.text and "patient.registered" not in response.text
    by_action = client_a.get(URL, {"action": "patient."}, **HTMX)
    assert "patient.registered" in by_action.text and "sign_in_failed" not in by_action.text


def test_a_bad_date_is_shown_not_a_500(client_a: Client) -> None:
    response = client_a.get(URL, {"since": "not-a-date"})
    assert response.status_code == 200 and "Enter a valid date" in response.text


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE, Role.RECEPTIONIST, Role.ACCOUNTANT])
def test_only_administrators_may_read_the_log(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get(URL).status_code == 403


def test_another_hospitals_administrator_is_refused_and_sees_only_their_own(
    hospital_a: Hospital, hospital_b: Hospital, client_b: Client
) -> None:
    patient = register(hospital_a)
    foreign = hospital_client(hospital_a, make_user(hospital_b))
    assert foreign.get(URL).status_code == 403
    own = client_b.get(URL)
    assert own.status_code == 200 and patient.number not in own.text


def test_the_log_cannot_be_posted_to(client_a: Client) -> None:
    assert client_a.post(URL).status_code == 405


def test_the_log_is_never_cached(client_a: Client) -> None:
    assert "no-store" in client_a.get(URL)["Cache-Control"]
