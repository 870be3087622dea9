"""The emergency pages: access from another hospital and role, registration, triage and
merge through the forms, bad input next to its field."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.models import Role
from apps.emergency.models import EmergencyVisit, PlaceholderPatient, Triage
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

from .conftest import HTMX, Department

URLCONF = "hms.urls_hospital"


def _url(name: str, *args: object) -> str:
    return reverse(f"emergency:{name}", args=args, urlconf=URLCONF)


TRIAGE_POST = {
    "age_band": "adult",
    "mobility": "walking",
    "respiratory_rate": "12",
    "heart_rate": "80",
    "systolic_bp": "120",
    "temperature": "36.8",
    "avpu": "alert",
    "trauma": "no",
    "seen_triages": "0",
}


def test_it_refuses_another_hospital_and_another_role(
    department: Department, hospital_b: Hospital
) -> None:
    visit = department.arrival()
    outsider = hospital_client(hospital_b, make_user(hospital_b, Role.NURSE))
    assert outsider.get(_url("visit", visit.pk)).status_code == 404
    assert outsider.post(_url("triage", visit.pk), TRIAGE_POST).status_code == 404
    pharmacist = department.client(make_user(department.hospital, Role.PHARMACIST))
    assert pharmacist.get(_url("board")).status_code == 403
    # a receptionist registers but does not triage
    assert (
        department.client(department.receptionist)
        .post(_url("triage", visit.pk), TRIAGE_POST)
        .status_code
        == 403
    )


def test_the_board_lists_the_most_urgent_first_and_polls(department: Department) -> None:
    first = department.arrival()
    second = department.unknown_arrival()
    department.client().post(
        _url("triage", second.pk), {**TRIAGE_POST, "discriminators": ["airway_compromise"]}
    )
    page = department.client(department.doctor).get(_url("board"))
    html = page.content.decode()
    assert html.index(f"er-visit-{second.pk}") < html.index(f"er-visit-{first.pk}")
    # polls every 10 s while the tab is visible (the visibility filter is in hms/app.js)
    assert 'hx-trigger="every 10s" data-poll-while-visible' in html
    fragment = department.client().get(_url("board"), **HTMX)
    assert b"<html" not in fragment.content and b"er-board" in fragment.content


def test_an_unknown_patient_is_registered_from_the_form(department: Department) -> None:
    client = department.client(department.receptionist)
    response = client.post(
        _url("arrive_unknown"),
        {"unknown-sex": "male", "unknown-estimated_age_years": "40", "unknown-complaint": "Found"},
    )
    assert response.status_code == 302
    with tenant_context(department.hospital):
        assert PlaceholderPatient.objects.count() == 1
        assert EmergencyVisit.objects.get().complaint == "Found"


def test_bad_input_is_shown_next_to_the_field(department: Department) -> None:
    client = department.client(department.receptionist)
    response = client.post(
        _url("arrive_unknown"), {"unknown-sex": "male", "unknown-estimated_age_years": "abc"}
    )
    assert response.status_code == 200 and b'class="errors"' in response.content
    response = client.post(_url("arrive"), {"known-patient": "NOPE-1"})
    assert response.status_code == 200
    assert b"There is no patient with this number." in response.content
    visit = department.arrival()
    nurse = department.client()
    response = nurse.post(_url("triage", visit.pk), {**TRIAGE_POST, "heart_rate": "x"})
    assert response.status_code == 200 and b'class="errors"' in response.content


def test_incomplete_vitals_ask_for_confirmation_on_the_page(department: Department) -> None:
    visit = department.arrival()
    nurse = department.client()
    missing = {**TRIAGE_POST, "systolic_bp": ""}
    response = nurse.post(_url("triage", visit.pk), missing, **HTMX)
    assert response.status_code == 200 and b"Confirm to save" in response.content
    response = nurse.post(_url("triage", visit.pk), {**missing, "confirm_incomplete": "on"})
    assert response.status_code == 302
    with tenant_context(department.hospital):
        assert Triage.objects.filter(visit_id=visit.pk).count() == 1


def test_a_placeholder_is_merged_from_its_visit_page(department: Department) -> None:
    visit = department.unknown_arrival()
    client = department.client(department.doctor)
    assert b"Merge into the real record" in client.get(_url("visit", visit.pk)).content
    response = client.post(_url("merge", visit.pk), {"into": department.patient.number})
    assert response.status_code == 302
    with tenant_context(department.hospital):
        assert EmergencyVisit.objects.get(pk=visit.pk).patient_id == department.patient.pk
