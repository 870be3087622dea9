"""Laboratory views: history and dashboard."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import approved, patient_of, place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def test_the_patients_history_shows_the_lab_result(
    hospital_a: Hospital,
    client_a: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    response = client_a.get(f"/patients/{order_a.patient_id}/")
    assert "Lab result" in response.text and order_a.number in response.text
    assert "1 result out of range" in response.text
    assert f"/laboratory/orders/{order_a.pk}/" in response.text


def test_the_lab_technicians_tile_counts_pending_and_urgent_orders(
    hospital_a: Hospital, technician_a: User
) -> None:
    from django.urls import set_urlconf
    from django.utils import timezone

    from apps.laboratory.dashboard import tiles

    place(hospital_a, patient_of(hospital_a))
    place(hospital_a, patient_of(hospital_a), priority="urgent")
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    set_urlconf("hms.urls_hospital")
    try:
        with tenant_context(hospital_a):
            today = timezone.localdate()
            (tile,) = tiles(hospital=hospital_a, user=technician_a, today=today)
            assert tiles(hospital=hospital_a, user=receptionist, today=today) == []
    finally:
        set_urlconf(None)
    figures = {figure.label: figure.value for figure in tile.figures}
    assert figures == {"Pending": "2", "Urgent": "1", "Awaiting approval": "0"}
    assert tile.url == "/laboratory/worklist/"
