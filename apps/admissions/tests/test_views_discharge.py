"""Admissions views: discharge."""

from __future__ import annotations

import pytest

from apps.admissions.models import Admission, AdmissionSettings, AdmissionStatus, Bed, BedStatus
from apps.admissions.services import admission_settings_update
from apps.admissions.tests.conftest import HTMX, Stay
from apps.core import billable
from apps.tenancy.context import tenant_context


def test_the_discharge_form_starts_from_the_consultation_and_the_chart(stay: Stay) -> None:
    from apps.consultations.services import diagnosis_add

    with tenant_context(stay.ward.hospital):
        diagnosis_add(consultation=stay.consultation, code="J18.9", primary=True)
    text = stay.client().get(f"{stay.url}discharge/").text
    assert "J18.9" in text and "Ceftriaxone 1 g, every 8 hours" in text


def test_discharge_is_refused_next_to_the_fields_then_succeeds_and_prints(stay: Stay) -> None:
    with tenant_context(stay.ward.hospital):
        admission_settings_update(allow_discharge_with_unbilled=True)
    client = stay.client()
    refused = client.post(f"{stay.url}discharge/", {"diagnoses": "", "treatment": ""}, **HTMX)
    assert 'id="id_diagnoses_error"' in refused.text and "<html" not in refused.text
    assert stay.refreshed().status == AdmissionStatus.ADMITTED
    assert client.get(f"{stay.url}summary/").status_code == 404
    response = client.post(
        f"{stay.url}discharge/",
        {
            "diagnoses": "J18.9 Pneumonia",
            "treatment": "IV ceftriaxone",
            "medicines": "Amoxicillin 500 mg 3 times a day, 5 days",
            "follow_up": "Chest X-ray in 6 weeks",
        },
    )
    assert response["Location"] == f"{stay.url}summary/"
    summary = client.get(f"{stay.url}summary/")
    assert "Discharge summary" in summary.text and "Chest X-ray in 6 weeks" in summary.text
    assert "print-header" in summary.text and "data-print" in summary.text
    assert client.get(f"{stay.url}discharge/").status_code == 302  # nothing to discharge


def test_discharge_with_unbilled_services_is_refused_by_default(
    stay: Stay, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the visit that led to the stay counts as invoiced already: only bed days matter here
    monkeypatch.setattr(
        billable,
        "_invoiced_checkers",
        [lambda items: {(i.source, i.reference) for i in items if i.source.startswith("appoint")}],
    )
    with tenant_context(stay.ward.hospital):
        AdmissionSettings.objects.all().delete()
        # an earlier stay's bed days nobody invoiced (billing is not wired yet)
        other = stay.ward.patient_named("Earlier")
    client = stay.client()
    with tenant_context(stay.ward.hospital):
        admission_settings_update(allow_discharge_with_unbilled=True)
        earlier = stay.ward.admit(patient=other, bed=stay.ward.beds[3])
        from apps.admissions.services import DischargeSummary, admission_discharge

        admission_discharge(
            admission=earlier,
            summary=DischargeSummary(diagnoses="x", treatment="y"),
            discharged_by=stay.ward.doctor_user,
        )
        admission_settings_update(allow_discharge_with_unbilled=False)
    # the patient of ``stay`` has no unbilled service: discharge goes ahead
    page = client.get(f"{stay.url}discharge/")
    assert "not yet invoiced" not in page.text
    with tenant_context(stay.ward.hospital):
        Bed.objects.filter(pk=stay.ward.beds[3].pk).update(status=BedStatus.FREE)
        again = stay.ward.admit(patient=other, bed=stay.ward.beds[3])
    page = client.get(f"/admissions/{again.pk}/discharge/")
    assert "not yet invoiced" in page.text and earlier.number in page.text
    response = client.post(
        f"/admissions/{again.pk}/discharge/", {"diagnoses": "x", "treatment": "y"}
    )
    assert response.status_code == 200 and "not yet invoiced" in response.text
    with tenant_context(stay.ward.hospital):
        assert Admission.objects.get(pk=again.pk).status == AdmissionStatus.ADMITTED
