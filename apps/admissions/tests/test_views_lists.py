"""Admissions views: lists and the bed map."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import Role
from apps.admissions.models import Admission, Bed, BedStatus
from apps.admissions.tests.conftest import HTMX, Stay
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_admitted_list_groups_by_ward_and_htmx_gets_only_the_list(stay: Stay) -> None:
    client = stay.client("nurse")
    page = client.get("/admissions/")
    assert page.status_code == 200 and "<html" in page.text
    assert f"admission-{stay.admission.pk}" in page.text and "General Medicine" in page.text
    fragment = client.get(f"/admissions/?ward={stay.ward.private.pk}", **HTMX)
    assert "<html" not in fragment.text and 'id="admitted"' in fragment.text
    assert f"admission-{stay.admission.pk}" not in fragment.text
    assert client.get("/admissions/?ward=99999").status_code == 404


def test_the_ward_view_says_when_doses_are_overdue(stay: Stay) -> None:
    text = stay.client("nurse").get(f"/admissions/?ward={stay.ward.general.pk}").text
    assert "None overdue" in text
    with tenant_context(stay.ward.hospital):
        Admission.objects.filter(pk=stay.admission.pk).update(
            admitted_at=timezone.now() - timedelta(days=2)
        )
        from apps.consultations.models import Prescription

        Prescription.objects.filter(consultation=stay.consultation).update(
            created_at=timezone.now() - timedelta(days=2)
        )
    # every 8 hours: yesterday's three doses at least are an hour late
    text = stay.client("nurse").get(f"/admissions/?ward={stay.ward.general.pk}").text
    assert re.search(r"⚠ [3-6] doses overdue", text)


def test_the_bed_map_shows_each_bed_with_its_occupant_or_state(stay: Stay) -> None:
    text = stay.client("nurse").get(f"/admissions/wards/{stay.ward.general.pk}/beds/").text
    assert "2 free · 2 occupied · 0 being cleaned" not in text
    assert "1 free · 2 occupied · 1 being cleaned" in text
    assert stay.ward.patient.full_name in text and "since" in text
    assert "Being cleaned" in text and "Mark clean" in text
    assert stay.client("doctor").get("/admissions/beds/").status_code == 200


def test_a_nurse_marks_a_bed_clean_and_htmx_gets_the_map_back(stay: Stay) -> None:
    response = stay.client("nurse").post(f"/admissions/beds/{stay.cleaning_bed.pk}/clean/", **HTMX)
    assert response.status_code == 200 and 'id="bed-map"' in response.text
    assert "<html" not in response.text
    with tenant_context(stay.ward.hospital):
        assert Bed.objects.get(pk=stay.cleaning_bed.pk).status == BedStatus.FREE
    again = stay.client("nurse").post(f"/admissions/beds/{stay.cleaning_bed.pk}/clean/")
    assert again.status_code == 302


def test_no_ward_yet_says_so(hospital_a: Hospital) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.NURSE))
    assert "No ward is set up yet" in client.get("/admissions/beds/").text


def test_to_admit_and_to_discharge_lists(stay: Stay) -> None:
    client = stay.client()
    assert f"request-{stay.request.pk}" in client.get("/admissions/to-admit/").text
    assert f"admission-{stay.admission.pk}" not in client.get("/admissions/to-discharge/").text
    client.post(f"{stay.url}plan/", {"expected_discharge_on": timezone.localdate().isoformat()})
    assert f"admission-{stay.admission.pk}" in client.get("/admissions/to-discharge/").text
