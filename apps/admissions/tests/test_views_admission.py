"""Admissions views: one admission."""

from __future__ import annotations

from apps.admissions.models import AdmissionStatus, Occupancy
from apps.admissions.tests.conftest import HTMX, Stay
from apps.tenancy.context import tenant_context


def test_the_admission_page_shows_the_stay_and_htmx_gets_only_the_stay(stay: Stay) -> None:
    client = stay.client()
    page = client.get(stay.url)
    assert stay.admission.number in page.text and "Transfer" in page.text
    fragment = client.get(stay.url, **HTMX)
    assert 'id="stay"' in fragment.text and "<html" not in fragment.text


def test_a_transfer_keeps_the_history_on_the_page(stay: Stay) -> None:
    client = stay.client("nurse")
    response = client.post(f"{stay.url}transfer/", {"bed": stay.ward.private_bed.pk}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.count('class="occupancy"') == 2
    assert "Private" in response.text


def test_a_transfer_without_a_bed_is_refused_next_to_the_field(stay: Stay) -> None:
    response = stay.client("nurse").post(f"{stay.url}transfer/", {"bed": ""}, **HTMX)
    assert 'id="id_bed_error"' in response.text
    with tenant_context(stay.ward.hospital):
        assert Occupancy.objects.filter(admission=stay.admission).count() == 1


def test_a_planned_discharge_before_admission_is_refused(stay: Stay) -> None:
    response = stay.client().post(f"{stay.url}plan/", {"expected_discharge_on": "2000-01-01"})
    assert response.status_code == 200
    assert "cannot be before the admission" in response.text


def test_cancelling_needs_a_reason_and_then_frees_the_patient(stay: Stay) -> None:
    client = stay.client()
    response = client.post(f"{stay.url}cancel/", {"reason": ""}, **HTMX)
    assert 'id="id_reason_error"' in response.text
    client.post(f"{stay.url}cancel/", {"reason": "Wrong patient"})
    assert stay.refreshed().status == AdmissionStatus.CANCELLED
