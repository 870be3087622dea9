"""A diagnosis, a prescription line, vitals and completing the visit are submitted once:
a double click, two tabs or Back and the same button again show the first one's outcome,
never a second diagnosis or a second line."""

from __future__ import annotations

from apps.consultations.models import Diagnosis, PrescriptionItem, Vitals
from apps.consultations.tests.conftest import HTMX, Clinic, visit_in
from apps.core.tests.submitting import landed, platform_events_kept_out, post_at_once, racing
from apps.tenancy.context import tenant_context

__all__ = ["platform_events_kept_out"]  # a fixture, used by name

IBUPROFEN = {
    "medicine": "Ibuprofen 400 mg",
    "outside_formulary": "on",
    "outside_formulary_reason": "Not stocked",
    "dose": "400",
    "dose_unit": "mg",
    "route": "oral",
    "frequency": "three_times_daily",
    "duration_days": "5",
    "quantity": "20",
}


@racing
def test_a_double_click_on_add_diagnosis_adds_it_once(clinic: Clinic) -> None:
    visit = visit_in(clinic)
    data = {"code": "I10"}
    answers = post_at_once(
        clinic.hospital, clinic.doctor_user, f"{visit.url}diagnoses/", data, **HTMX
    )
    with tenant_context(clinic.hospital):
        assert Diagnosis.objects.filter(consultation=visit.consultation, code="I10").count() == 1
    # one answer draws the diagnoses in place, the copy reloads the page showing them
    assert sorted(answer.headers.get("HX-Refresh", "") for answer in answers) == ["", "true"]


@racing
def test_a_double_click_on_add_to_prescription_adds_one_line(clinic: Clinic) -> None:
    visit = visit_in(clinic)
    url = f"{visit.url}prescription/items/"
    post_at_once(clinic.hospital, clinic.doctor_user, url, IBUPROFEN, **HTMX)
    with tenant_context(clinic.hospital):
        lines = PrescriptionItem.objects.filter(medicine="Ibuprofen 400 mg")
        assert lines.count() == 1


@racing
def test_a_double_click_on_save_vitals_records_them_once(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    first, second = post_at_once(clinic.hospital, clinic.nurse, url, {"weight": "80"})
    with tenant_context(clinic.hospital):
        assert Vitals.objects.count() == 1
    assert landed(first) == landed(second) != ""


def test_complete_sent_again_lands_where_the_first_did(clinic: Clinic) -> None:
    visit = visit_in(clinic)
    client = clinic.client()
    first = client.post(f"{visit.url}complete/")
    again = client.post(f"{visit.url}complete/")
    assert first.status_code == 302 and (again.status_code, again["Location"]) == (
        302,
        first["Location"],
    )
    assert visit.refreshed().status == "completed"


def test_a_diagnosis_sent_again_after_back_is_not_added_twice(clinic: Clinic) -> None:
    visit = visit_in(clinic)
    client = clinic.client()
    client.post(f"{visit.url}diagnoses/", {"code": "I10"})
    client.post(f"{visit.url}diagnoses/", {"code": "I10"})
    with tenant_context(clinic.hospital):
        assert Diagnosis.objects.filter(consultation=visit.consultation, code="I10").count() == 1
