"""Least privilege across the modules: a role without clinical access sees that a
patient had a visit, an order or a stay, never the diagnoses, medicines or results; the
dashboard shows only figures of modules the user may open in this hospital."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.consultations.tests.conftest import Visit, clinic_of, visit_in
from apps.core.dashboard import DailySeries, Tile
from apps.laboratory.tests.conftest import approved, place
from apps.shell.selectors import dashboard_figures
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

#: what the clinicians wrote and found, none of which the front desk may read
CLINICAL_WORDS = (
    "J02.9",
    "Acute pharyngitis",
    "Amoxicillin",
    "Complete blood count",
    "out of range",
)


@pytest.fixture
def treated(hospital_a: Hospital) -> Visit:
    """A patient with a diagnosis, a prescription and an approved lab result."""
    visit = visit_in(clinic_of(hospital_a))
    technician = make_user(hospital_a, Role.LAB_TECHNICIAN)
    approver = make_user(hospital_a, Role.LAB_TECHNICIAN)
    approved(hospital_a, place(hospital_a, visit.consultation.patient), technician, approver)
    return visit


def patient_page(visit: Visit, user: User) -> str:
    client = hospital_client(visit.clinic.hospital, user)
    response = client.get(f"/patients/{visit.consultation.patient_id}/")
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.ACCOUNTANT])
def test_the_front_desk_sees_the_visits_but_no_diagnosis_medicine_or_result(
    treated: Visit, role: str
) -> None:
    page = patient_page(treated, make_user(treated.clinic.hospital, role))
    assert "Consultation" in page and "Lab result" in page  # that they happened
    for word in CLINICAL_WORDS:
        assert word not in page, word


def test_the_doctor_and_the_administrator_see_them_all(treated: Visit, client_a: Client) -> None:
    for page in [
        patient_page(treated, treated.clinic.doctor_user),
        client_a.get(f"/patients/{treated.consultation.patient_id}/").text,
    ]:
        for word in CLINICAL_WORDS:
            assert word in page, word


def test_a_nurse_sees_them_too(treated: Visit) -> None:
    page = patient_page(treated, treated.clinic.nurse)
    assert "J02.9" in page and "Amoxicillin" in page and "out of range" in page


# -- the dashboard --------------------------------------------------------------------------


def every_modules_tiles(*, hospital: Hospital, user: Any, today: date) -> list[Tile]:
    """A provider that (wrongly) shows everyone every module's figures."""
    keys = ["pharmacy.stock", "laboratory.worklist", "appointments.today", "own.figures"]
    return [Tile(key=key, title=key) for key in keys]


def every_modules_series(*, start: date, end: date) -> list[DailySeries]:
    return [DailySeries(key="appointments.visits", label="Visits", values={end: 1})]  # type: ignore[dict-item]


@pytest.fixture
def leaky(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("apps.core.modules.dashboard_tile_providers", lambda: [every_modules_tiles])
    monkeypatch.setattr(
        "apps.core.modules.dashboard_series_providers", lambda: [every_modules_series]
    )


def shown(hospital: Hospital, user: User) -> tuple[set[str], set[str]]:
    figures = dashboard_figures(hospital=hospital, user=user, today=timezone.localdate())
    return {tile.key for tile in figures.tiles}, {series.key for series in figures.series}


def test_the_dashboard_shows_only_modules_the_user_may_open(
    hospital_a: Hospital, leaky: None
) -> None:
    tiles, series = shown(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    assert tiles == {"appointments.today", "own.figures"} and series == {"appointments.visits"}
    tiles, _series = shown(hospital_a, make_user(hospital_a, Role.PHARMACIST))
    assert tiles == {"pharmacy.stock", "own.figures"}


def test_a_hospital_without_pharmacy_shows_no_pharmacy_tile(
    hospital_a: Hospital, admin_a: User, leaky: None
) -> None:
    assert "pharmacy.stock" in shown(hospital_a, admin_a)[0]
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "pharmacy"]
    hospital_a.save()
    assert "pharmacy.stock" not in shown(hospital_a, admin_a)[0]


def test_a_patient_account_gets_no_hospital_figures(hospital_a: Hospital, leaky: None) -> None:
    tiles, series = shown(hospital_a, make_user(hospital_a, Role.PATIENT))
    assert tiles == {"own.figures"} and series == set()
