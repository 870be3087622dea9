"""Admissions views: nursing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.admissions.models import DoseAdministration, NursingNote
from apps.admissions.tests.conftest import HTMX, Stay, _next_dose
from apps.consultations.models import Vitals
from apps.consultations.services import VitalsValues, vitals_record
from apps.tenancy.context import tenant_context


def test_the_nursing_chart_shows_the_medicine_and_its_doses(stay: Stay) -> None:
    client = stay.client("nurse")
    page = client.get(f"{stay.url}nursing/")
    assert page.status_code == 200 and "Ceftriaxone" in page.text
    assert "Medication administration record" in page.text
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    fragment = client.get(f"{stay.url}nursing/?day={tomorrow}", **HTMX)
    assert 'id="mar"' in fragment.text and "<html" not in fragment.text
    assert fragment.text.count('<li class="dose') == 3  # every 8 hours


def test_a_nurse_records_vitals_and_the_chart_draws_them(stay: Stay) -> None:
    client = stay.client("nurse")
    response = client.post(f"{stay.url}vitals/", {"pulse": "88", "temperature": "38.4"}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert "<svg" in response.text and "38.4" in response.text
    with tenant_context(stay.ward.hospital):
        assert Vitals.objects.filter(patient=stay.ward.patient).count() == 1
    refused = client.post(f"{stay.url}vitals/", {"pulse": "900"}, **HTMX)
    assert 'id="id_pulse_error"' in refused.text


def test_vitals_before_the_admission_are_not_on_the_chart(stay: Stay) -> None:
    with tenant_context(stay.ward.hospital):
        vitals_record(
            patient=stay.ward.patient,
            values=VitalsValues(pulse=61),
            recorded_by=stay.ward.nurse,
            at=timezone.now() - timedelta(days=3),
        )
    assert (
        "No vitals recorded during this stay yet."
        in stay.client("nurse").get(f"{stay.url}nursing/").text
    )


def test_a_nurse_writes_a_note_and_an_empty_one_is_refused(stay: Stay) -> None:
    client = stay.client("nurse")
    response = client.post(f"{stay.url}notes/", {"text": "Comfortable overnight."}, **HTMX)
    assert "Comfortable overnight." in response.text and "<html" not in response.text
    refused = client.post(f"{stay.url}notes/", {"text": " "}, **HTMX)
    assert 'id="id_text_error"' in refused.text
    with tenant_context(stay.ward.hospital):
        assert NursingNote.objects.count() == 1


def test_a_nurse_gives_a_dose_and_holding_one_needs_a_reason(stay: Stay) -> None:
    client = stay.client("nurse")
    when = _next_dose(stay)
    refused = client.post(
        f"{stay.url}doses/",
        {"item": stay.item_id, "scheduled_at": when, "outcome": "held", "reason": ""},
        **HTMX,
    )
    assert refused.status_code == 200 and 'id="id_reason_error"' in refused.text
    response = client.post(
        f"{stay.url}doses/",
        {"item": stay.item_id, "scheduled_at": when, "outcome": "given", "at": "", "reason": ""},
    )
    assert response.status_code == 302
    with tenant_context(stay.ward.hospital):
        [record] = DoseAdministration.objects.all()
    assert record.outcome == "given" and record.recorded_by_id == stay.ward.nurse.pk
    twice = client.post(
        f"{stay.url}doses/",
        {"item": stay.item_id, "scheduled_at": when, "outcome": "given"},
        **HTMX,
    )
    assert "already recorded" in twice.text


def test_a_dose_of_a_medicine_not_on_the_chart_is_refused(stay: Stay) -> None:
    response = stay.client("nurse").post(
        f"{stay.url}doses/",
        {"item": 99999, "scheduled_at": _next_dose(stay), "outcome": "given"},
        **HTMX,
    )
    assert "not on the patient" in response.text
    with tenant_context(stay.ward.hospital):
        assert not DoseAdministration.objects.exists()


def test_a_dose_time_typed_near_midnight_lands_on_the_right_day() -> None:
    from datetime import time

    from apps.admissions.tests.conftest import local
    from apps.admissions.views.nursing import _given_at

    assert _given_at(local(2026, 3, 2, 0), time(23, 50)) == local(2026, 3, 1, 23, 50)
    assert _given_at(local(2026, 3, 2, 20), time(20, 15)) == local(2026, 3, 2, 20, 15)
    assert _given_at(local(2026, 3, 2, 22), time(0, 30)) == local(2026, 3, 3, 0, 30)
