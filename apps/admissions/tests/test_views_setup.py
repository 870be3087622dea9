"""Admissions views: set-up."""

from __future__ import annotations

from decimal import Decimal

from apps.admissions.models import AdmissionSettings, Bed, Room, Ward
from apps.admissions.tests.conftest import HTMX, Stay
from apps.tenancy.context import tenant_context


def test_the_administrator_adds_a_ward_a_room_and_a_bed(stay: Stay) -> None:
    client = stay.client("admin")
    assert "General Medicine" in client.get("/admissions/setup/").text
    response = client.post("/admissions/setup/wards/", {"name": "ICU", "daily_rate": "300"}, **HTMX)
    assert "ICU" in response.text and "<html" not in response.text
    with tenant_context(stay.ward.hospital):
        icu = Ward.objects.get(name="ICU")
    response = client.post(f"/admissions/setup/wards/{icu.pk}/rooms/", {"name": "I-1"}, **HTMX)
    assert 'id="rooms"' in response.text and "I-1" in response.text
    with tenant_context(stay.ward.hospital):
        room = Room.objects.get(ward=icu)
    client.post(
        f"/admissions/setup/rooms/{room.pk}/beds/",
        {f"room{room.pk}-label": "1", f"room{room.pk}-daily_rate": "350"},
    )
    with tenant_context(stay.ward.hospital):
        bed = Bed.objects.get(room=room)
    assert bed.daily_rate == Decimal("350.00")


def test_set_up_errors_show_next_to_the_field(stay: Stay) -> None:
    client = stay.client("admin")
    response = client.post(
        "/admissions/setup/wards/", {"name": "general medicine", "daily_rate": "-1"}, **HTMX
    )
    assert 'id="id_daily_rate_error"' in response.text
    response = client.post(
        "/admissions/setup/wards/", {"name": "general medicine", "daily_rate": "1"}, **HTMX
    )
    assert "already a ward with this name" in response.text
    response = client.post(
        f"/admissions/setup/rooms/{stay.ward.beds[0].room_id}/beds/",
        {f"room{stay.ward.beds[0].room_id}-label": "a"},
        **HTMX,
    )
    assert "already has a bed with this label" in response.text


def test_a_ward_with_patients_cannot_be_closed(stay: Stay) -> None:
    client = stay.client("admin")
    url = f"/admissions/setup/wards/{stay.ward.general.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "General Medicine", "daily_rate": "55", "is_active": ""})
    assert "still in this ward" in response.text
    ok = client.post(url, {"name": "General Medicine", "daily_rate": "55", "is_active": "on"})
    assert ok.status_code == 302
    with tenant_context(stay.ward.hospital):
        assert Ward.objects.get(pk=stay.ward.general.pk).daily_rate == Decimal("55.00")


def test_the_administrator_allows_discharge_with_unbilled_services(stay: Stay) -> None:
    stay.client("admin").post(
        "/admissions/setup/settings/", {"allow_discharge_with_unbilled": "on"}
    )
    with tenant_context(stay.ward.hospital):
        assert AdmissionSettings.objects.get().allow_discharge_with_unbilled
