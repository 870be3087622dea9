"""Admissions views: requests and admitting."""

from __future__ import annotations

from apps.admissions.models import Admission, AdmissionRequest, Bed, BedStatus
from apps.admissions.tests.conftest import HTMX, Stay
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_a_doctor_requests_an_admission_from_a_consultation(stay: Stay) -> None:
    ward = stay.ward
    patient = ward.patient_named("Fresh")
    consultation = ward.clinic.opened(patient=patient)
    client = stay.client()
    page = client.get(f"/admissions/requests/new/?consultation={consultation.pk}")
    assert patient.number in page.text
    response = client.post(
        f"/admissions/requests/new/?consultation={consultation.pk}",
        {"patient": patient.number, "reason": "Sepsis", "ward": ""},
    )
    assert response.status_code == 302
    with tenant_context(ward.hospital):
        request = AdmissionRequest.objects.get(patient=patient)
    assert request.consultation_id == consultation.pk


def test_a_request_for_an_unknown_patient_is_refused_next_to_the_field(stay: Stay) -> None:
    response = stay.client().post(
        "/admissions/requests/new/", {"patient": "NOPE-1", "reason": "x"}, **HTMX
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert "There is no patient with this number." in response.text
    assert 'id="id_patient_error"' in response.text


def test_withdrawing_a_request_takes_it_off_the_list(stay: Stay) -> None:
    stay.client().post(f"/admissions/requests/{stay.request.pk}/cancel/")
    with tenant_context(stay.ward.hospital):
        assert AdmissionRequest.objects.get(pk=stay.request.pk).status == "cancelled"


def test_admitting_from_the_waiting_list(stay: Stay) -> None:
    client = stay.client("receptionist")
    page = client.get(f"/admissions/admit/?request={stay.request.pk}")
    assert stay.request.reason in page.text
    with tenant_context(stay.ward.hospital):
        patient_number = stay.request.patient.number
    response = client.post(
        "/admissions/admit/",
        {
            "request": stay.request.pk,
            "patient": patient_number,
            "bed": stay.ward.beds[3].pk,
            "reason": "",
        },
    )
    assert response.status_code == 302
    with tenant_context(stay.ward.hospital):
        admission = Admission.objects.get(request=stay.request)
        assert response["Location"] == f"/admissions/{admission.pk}/"
        assert admission.reason == "Elective surgery"


def test_admitting_to_a_taken_bed_is_refused_next_to_the_bed(stay: Stay) -> None:
    """The bed list is offered when the page loads; someone else may take it before."""
    patient = stay.ward.patient_named("Late")
    with tenant_context(stay.ward.hospital):
        free = Bed.objects.filter(status=BedStatus.FREE).first()
        assert free is not None
    client = stay.client()
    with tenant_context(stay.ward.hospital):
        stay.ward.admit(patient=stay.ward.patient_named("Quicker"), bed=free)
    response = client.post(
        "/admissions/admit/", {"patient": patient.number, "bed": free.pk, "reason": "x"}, **HTMX
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="id_bed_error"' in response.text
    with tenant_context(stay.ward.hospital):
        assert not Admission.objects.filter(patient=patient).exists()


def test_an_admitted_patient_cannot_be_admitted_again(stay: Stay) -> None:
    response = stay.client().post(
        "/admissions/admit/",
        {"patient": stay.ward.patient.number, "bed": stay.ward.beds[3].pk, "reason": "x"},
    )
    assert response.status_code == 200
    assert "This patient is already admitted." in response.text


def test_another_hospitals_consultation_cannot_be_admitted_from(
    stay: Stay, hospital_b: Hospital
) -> None:
    from apps.consultations.tests.conftest import clinic_of

    foreign = clinic_of(hospital_b).opened()
    assert stay.client().get(f"/admissions/admit/?consultation={foreign.pk}").status_code == 404
