"""Admissions views: dashboard and history."""

from __future__ import annotations

from django.utils import timezone

from apps.accounts.models import Role
from apps.admissions.tests.conftest import Stay
from apps.tenancy.context import tenant_context
from conftest import make_user


def test_the_wards_tile_counts_beds_and_is_for_ward_roles_only(stay: Stay) -> None:
    from apps.admissions.dashboard import tiles

    today = timezone.localdate()
    with tenant_context(stay.ward.hospital):
        [tile] = tiles(hospital=stay.ward.hospital, user=stay.ward.nurse, today=today)
        figures = {f.label: f.value for f in tile.figures}
        assert figures["Free beds"] == "2" and figures["Occupied beds"] == "2"
        assert figures["Beds being cleaned"] == "1" and figures["Waiting for a bed"] == "1"
        pharmacist = make_user(stay.ward.hospital, Role.PHARMACIST)
        assert tiles(hospital=stay.ward.hospital, user=pharmacist, today=today) == []


def test_the_stay_shows_in_the_patients_history(stay: Stay) -> None:
    from apps.admissions.history import admissions_of

    with tenant_context(stay.ward.hospital):
        [entry] = admissions_of(stay.ward.patient)
    assert stay.admission.number in entry.title and "General Medicine" in entry.detail
    assert entry.url == stay.url
