"""Consultations views: history and dashboard."""

from __future__ import annotations

from django.utils import timezone

from apps.consultations.dashboard import tiles
from apps.consultations.tests.conftest import Clinic, Visit
from apps.tenancy.context import tenant_context


def test_the_patients_page_lists_the_visit_with_its_diagnoses(visit: Visit) -> None:
    page = visit.clinic.client().get(f"/patients/{visit.appointment.patient_id}/").text
    assert "Consultation with" in page and "J02.9" in page and "Amoxicillin" in page


def test_the_doctors_tile_counts_their_queue(clinic: Clinic) -> None:
    clinic.checked_in()
    clinic.opened()
    today = timezone.localdate()
    with tenant_context(clinic.hospital):
        [tile] = tiles(hospital=clinic.hospital, user=clinic.doctor_user, today=today)
        assert tiles(hospital=clinic.hospital, user=clinic.nurse, today=today) == []
    figures = {str(f.label): f.value for f in tile.figures}
    assert str(tile.title) == "My queue"
    assert (figures["Waiting"], figures["In consultation"], figures["Seen"]) == ("1", "1", "0")
