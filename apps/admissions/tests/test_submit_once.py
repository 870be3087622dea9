"""Admitting, transferring, a dose, a note and vitals are submitted once: a double
click, two tabs or Back and the same button again show the first one's outcome, never a
second admission, transfer or dose."""

from __future__ import annotations

from apps.admissions.models import Admission, DoseAdministration, NursingNote, Occupancy
from apps.admissions.tests.conftest import HTMX, Hospitalward, _next_dose, stay_in
from apps.consultations.models import Vitals
from apps.core.tests.submitting import landed, platform_events_kept_out, post_at_once, racing
from apps.tenancy.context import tenant_context

__all__ = ["platform_events_kept_out"]  # a fixture, used by name


@racing
def test_a_double_click_on_given_records_one_dose(ward: Hospitalward) -> None:
    stay = stay_in(ward)
    data = {"item": stay.item_id, "scheduled_at": _next_dose(stay), "outcome": "given"}
    answers = post_at_once(ward.hospital, ward.nurse, f"{stay.url}doses/", data, **HTMX)
    with tenant_context(ward.hospital):
        assert DoseAdministration.objects.count() == 1
    # one answer draws the chart in place, the copy reloads the page showing it
    assert sorted(answer.headers.get("HX-Refresh", "") for answer in answers) == ["", "true"]
    assert any('id="mar"' in answer.text for answer in answers)


@racing
def test_a_double_click_on_transfer_moves_the_patient_once(ward: Hospitalward) -> None:
    stay = stay_in(ward)
    data = {"bed": ward.private_bed.pk}
    post_at_once(ward.hospital, ward.nurse, f"{stay.url}transfer/", data, **HTMX)
    with tenant_context(ward.hospital):
        assert Occupancy.objects.filter(admission=stay.admission).count() == 2


@racing
def test_a_double_click_on_admit_admits_once(ward: Hospitalward) -> None:
    stay = stay_in(ward)
    with tenant_context(ward.hospital):
        patient_number = stay.request.patient.number
    data = {
        "request": stay.request.pk,
        "patient": patient_number,
        "bed": ward.beds[3].pk,
        "reason": "",
    }
    first, second = post_at_once(ward.hospital, ward.receptionist, "/admissions/admit/", data)
    with tenant_context(ward.hospital):
        admission = Admission.objects.get(request=stay.request)
    assert landed(first) == landed(second) == f"/admissions/{admission.pk}/"


@racing
def test_a_double_click_on_a_nursing_note_adds_it_once(ward: Hospitalward) -> None:
    stay = stay_in(ward)
    data = {"text": "Slept well; no pain."}
    post_at_once(ward.hospital, ward.nurse, f"{stay.url}notes/", data, **HTMX)
    with tenant_context(ward.hospital):
        assert NursingNote.objects.filter(admission=stay.admission).count() == 1


def test_vitals_sent_again_reload_the_page_instead_of_recording_twice(ward: Hospitalward) -> None:
    stay = stay_in(ward)
    client = stay.client("nurse")
    data = {"pulse": "88", "temperature": "38.4"}
    first = client.post(f"{stay.url}vitals/", data, **HTMX)
    again = client.post(f"{stay.url}vitals/", data, **HTMX)
    assert first.status_code == 200 and "<svg" in first.text
    assert again["HX-Refresh"] == "true"
    with tenant_context(ward.hospital):
        assert Vitals.objects.filter(patient=ward.patient).count() == 1


@racing
def test_a_double_click_on_order_orders_once(ward: Hospitalward) -> None:
    from apps.admissions.models import MedicationOrder
    from apps.admissions.tests.test_orders import amoxicillin
    from apps.admissions.tests.test_views_orders import order_data

    stay = stay_in(ward)
    data = order_data(amoxicillin(ward))
    post_at_once(ward.hospital, ward.doctor_user, f"{stay.url}orders/add/", data)
    with tenant_context(ward.hospital):
        assert MedicationOrder.objects.filter(admission=stay.admission).count() == 1
