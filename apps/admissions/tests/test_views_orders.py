"""Admissions views: medication orders (ordering, carrying over, hold and stop), their
doses on the nurse's chart, and "Admit" on the consultation page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.admissions.models import AdmissionRequest, DoseAdministration, MedicationOrder
from apps.admissions.tests.conftest import HTMX, Hospitalward, Stay, stay_in, ward_of
from apps.admissions.tests.test_orders import amoxicillin, line
from apps.consultations.prescribing import prescription_line_add
from apps.consultations.services import diagnosis_add
from apps.patients.allergies import AllergyDetails, patient_allergy_record
from apps.patients.models import Allergen
from apps.pharmacy.models import Medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def order_data(medicine: Medicine, **changes: str) -> dict[str, str]:
    data = {
        "medicine": "Amoxicillin",
        "medicine_id": str(medicine.pk),
        "dose": "1",
        "dose_unit": "capsule",
        "route": "oral",
        "frequency": "once_daily",
        "duration_days": "5",
        "first_dose": "now",
    }
    data.update(changes)
    return data


def orders_of(stay: Stay) -> list[MedicationOrder]:
    with tenant_context(stay.ward.hospital):
        return list(MedicationOrder.objects.filter(admission=stay.admission))


def test_a_doctor_orders_a_medicine_with_the_first_dose_now(stay: Stay) -> None:
    medicine = amoxicillin(stay.ward, stock=10)
    client = stay.client()
    response = client.post(f"{stay.url}orders/add/", order_data(medicine))
    assert response.status_code == 302
    [order] = orders_of(stay)
    assert order.formulary_medicine_id == medicine.pk
    assert abs(order.starts_at - timezone.now()) < timedelta(minutes=1)
    page = stay.client("nurse").get(f"{stay.url}orders/")
    assert page.status_code == 200 and "Amoxicillin" in page.text
    chart = stay.client("nurse").get(f"{stay.url}nursing/")
    assert f'id="order-{order.pk}"' in chart.text
    assert "Leyla Məmmədova" in chart.text  # who ordered it


def test_an_allergic_patients_order_warns_and_keeps_the_override(stay: Stay) -> None:
    medicine = amoxicillin(stay.ward)
    with tenant_context(stay.ward.hospital):
        patient_allergy_record(
            patient=stay.ward.patient,
            details=AllergyDetails(Allergen.objects.get(code="penicillins").pk, "Rash", "moderate"),
            recorded_by=stay.ward.nurse,
        )
    client = stay.client()
    warned = client.post(f"{stay.url}orders/add/", order_data(medicine))
    assert warned.status_code == 200 and 'id="prescribing-warnings"' in warned.text
    assert orders_of(stay) == []
    saved = client.post(
        f"{stay.url}orders/add/", order_data(medicine, override_reason="No alternative")
    )
    assert saved.status_code == 302
    [order] = orders_of(stay)
    assert order.override_reason == "No alternative"
    assert "No alternative" in client.get(f"{stay.url}orders/").text


@pytest.mark.parametrize(
    "changes",
    [
        {"dose": "abc"},
        {"duration_days": "9999999999"},
        {"dose": "1e30"},
        {"first_dose": "at", "starts_at": ""},
        {"first_dose": "at", "starts_at": "0001-01-01T00:00"},
        {"first_dose": "at", "starts_at": "9999-12-31T23:59"},
        {"medicine_id": "not-a-uuid"},
        {"units_per_dose": "100000000000000000000"},
        {"frequency": "every_hours", "every_hours": "7"},
    ],
)
def test_bad_order_input_gets_a_message_not_a_500(stay: Stay, changes: dict[str, str]) -> None:
    medicine = amoxicillin(stay.ward)
    response = stay.client().post(f"{stay.url}orders/add/", order_data(medicine, **changes))
    assert response.status_code == 200 and "errors" in response.text
    assert orders_of(stay) == []


def test_only_a_doctor_orders_holds_and_stops(stay: Stay) -> None:
    medicine = amoxicillin(stay.ward)
    for role in ("nurse", "receptionist"):
        client = stay.client(role)
        assert client.post(f"{stay.url}orders/add/", order_data(medicine)).status_code == 403
        assert client.get(f"{stay.url}orders/carry-over/").status_code == 403
    assert stay.client("receptionist").get(f"{stay.url}orders/").status_code == 403
    stay.client().post(f"{stay.url}orders/add/", order_data(medicine))
    [order] = orders_of(stay)
    base = f"{stay.url}orders/{order.pk}/"
    nurse = stay.client("nurse")
    for action in ("hold/", "resume/", "stop/"):
        assert nurse.post(base + action, {"reason": "x"}).status_code == 403
    doctor = stay.client()
    doctor.post(base + "hold/", {"reason": ""})
    assert orders_of(stay)[0].status == "active"  # a hold needs a reason
    doctor.post(base + "hold/", {"reason": "Nil by mouth"})
    assert orders_of(stay)[0].status == "held"
    doctor.post(base + "resume/")
    doctor.post(base + "stop/", {"reason": "Switched to IV"})
    [stopped] = orders_of(stay)
    assert stopped.status == "stopped" and stopped.stop_reason == "Switched to IV"
    assert "Switched to IV" in doctor.get(f"{stay.url}orders/").text


def test_another_hospital_cannot_reach_the_orders(stay: Stay, hospital_b: Hospital) -> None:
    medicine = amoxicillin(stay.ward)
    stay.client().post(f"{stay.url}orders/add/", order_data(medicine))
    [order] = orders_of(stay)
    other = ward_of(hospital_b)
    outsider = hospital_client(hospital_b, other.doctor_user)
    for method, url in [
        ("get", f"{stay.url}orders/"),
        ("post", f"{stay.url}orders/add/"),
        ("get", f"{stay.url}orders/carry-over/"),
        ("get", f"{stay.url}orders/medicines/?medicine=amox"),
        ("post", f"{stay.url}orders/{order.pk}/hold/"),
        ("post", f"{stay.url}orders/{order.pk}/stop/"),
    ]:
        assert getattr(outsider, method)(url).status_code == 404, url
    own = stay_in(other)
    response = outsider.post(f"{own.url}orders/{order.pk}/stop/", {"reason": "x"})
    assert response.status_code == 404


def test_the_picker_finds_formulary_medicines(stay: Stay) -> None:
    amoxicillin(stay.ward)
    response = stay.client().get(f"{stay.url}orders/medicines/?medicine=amox", **HTMX)
    assert response.status_code == 200 and "Amoxicillin 500 mg" in response.text


def test_the_consultation_prescription_is_carried_over_with_one_confirmation(
    ward: Hospitalward,
) -> None:
    consultation = ward.clinic.opened(patient=ward.patient)
    medicine = amoxicillin(ward, stock=10)
    with tenant_context(ward.hospital):
        prescription_line_add(
            hospital=ward.hospital,
            consultation=consultation,
            line=line(medicine, quantity=5),
            prescribed_by=ward.doctor_user,
        )
    admission = ward.admit(consultation=consultation)
    client = ward.client()
    url = f"/admissions/{admission.pk}/orders/"
    assert "Carry them over" in client.get(url).text
    page = client.get(f"{url}carry-over/")
    assert page.status_code == 200 and "Amoxicillin 500 mg" in page.text
    response = client.post(f"{url}carry-over/", {"first_dose": "now"})
    assert response.status_code == 302
    with tenant_context(ward.hospital):
        [order] = MedicationOrder.objects.filter(admission=admission)
    assert order.carried_from_id is not None
    assert "Nothing left to carry over" in client.get(f"{url}carry-over/").text
    # the nurse gives the first dose now, from the chart
    nurse = ward.client(ward.nurse)
    chart = nurse.get(f"/admissions/{admission.pk}/nursing/")
    assert f'name="order" value="{order.pk}"' in chart.text
    given = nurse.post(
        f"/admissions/{admission.pk}/doses/",
        {"order": str(order.pk), "scheduled_at": order.starts_at.isoformat(), "outcome": "given"},
        **HTMX,
    )
    assert given.status_code == 200 and "Given" in given.text
    assert "Aygün Nurse" in given.text  # who gave it
    with tenant_context(ward.hospital):
        [dose] = DoseAdministration.objects.all()
    assert dose.order_id == order.pk and dose.quantity == 1


def test_a_dose_of_an_order_with_bad_input_is_refused_in_place(stay: Stay) -> None:
    medicine = amoxicillin(stay.ward, stock=10)
    stay.client().post(
        f"{stay.url}orders/add/",
        order_data(
            medicine,
            first_dose="at",
            starts_at=(timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    [order] = orders_of(stay)
    nurse = stay.client("nurse")
    for data in [
        {"order": "nope", "scheduled_at": order.starts_at.isoformat(), "outcome": "given"},
        {"order": str(order.pk), "scheduled_at": "0001-01-01T00:00", "outcome": "given"},
        {"order": str(order.pk), "scheduled_at": order.starts_at.isoformat(), "outcome": "held"},
    ]:
        response = nurse.post(f"{stay.url}doses/", data, **HTMX)
        assert response.status_code in (200, 404) and response.status_code != 500, data
    with tenant_context(stay.ward.hospital):
        assert not DoseAdministration.objects.filter(order=order).exists()
    late = nurse.post(
        f"{stay.url}doses/",
        {"order": str(order.pk), "scheduled_at": order.starts_at.isoformat(), "outcome": "given"},
        **HTMX,
    )
    assert "needs a reason" in late.text


def test_admit_on_the_consultation_starts_a_request_with_nothing_to_type(
    ward: Hospitalward,
) -> None:
    patient = ward.patient_named("Fresh")
    consultation = ward.clinic.opened(patient=patient)
    with tenant_context(ward.hospital):
        diagnosis_add(consultation=consultation, code="J18.9", primary=True)
    client = ward.client()
    page = client.get(f"/consultations/{consultation.pk}/")
    assert 'id="admit-button"' in page.text
    form = client.get(f"/admissions/requests/new/?consultation={consultation.pk}")
    assert 'name="patient"' not in form.text and "J18.9" in form.text
    response = client.post(
        f"/admissions/requests/new/?consultation={consultation.pk}",
        {"reason": "Pneumonia", "working_diagnosis": "J18.9 Pneumonia", "ward": ""},
    )
    assert response.status_code == 302
    with tenant_context(ward.hospital):
        request = AdmissionRequest.objects.get(patient=patient)
    assert request.doctor_id == ward.clinic.doctor.pk
    assert request.working_diagnosis == "J18.9 Pneumonia"
    assert "waiting for a bed" in client.get(f"/consultations/{consultation.pk}/").text
    # a nurse sees no Admit button
    nurse_page = ward.client(ward.nurse).get(f"/consultations/{consultation.pk}/")
    assert 'id="admit-button"' not in nurse_page.text


def test_the_discharge_summary_prints_the_discharge_prescription(
    stay: Stay, allow_unbilled: None
) -> None:
    medicine = amoxicillin(stay.ward)
    client = stay.client()
    client.post(f"{stay.url}orders/add/", order_data(medicine))
    form = client.get(f"{stay.url}discharge/")
    assert 'id="discharge-prescription"' in form.text
    assert "Amoxicillin 500 mg (Amoxil) 1 capsule(s)" in form.text
    client.post(
        f"{stay.url}discharge/",
        {"diagnoses": "J18.9", "treatment": "Antibiotics", "medicines": "", "follow_up": ""},
    )
    summary = client.get(f"{stay.url}summary/")
    assert summary.status_code == 200 and 'id="discharge-prescription"' in summary.text


def test_a_nurse_of_the_ward_reads_orders_and_an_accountant_does_not(stay: Stay) -> None:
    assert stay.client("nurse").get(f"{stay.url}orders/").status_code == 200
    accountant = hospital_client(stay.ward.hospital, make_user(stay.ward.hospital, Role.ACCOUNTANT))
    assert accountant.get(f"{stay.url}orders/").status_code == 403
    _ = Decimal


def test_a_hold_or_stop_reason_a_form_refuses_is_a_message_not_a_500(stay: Stay) -> None:
    stay.client().post(f"{stay.url}orders/add/", order_data(amoxicillin(stay.ward)))
    [order] = orders_of(stay)
    client = stay.client()
    for action, reason in [("hold/", "\x00"), ("stop/", "x" * 5000), ("hold/", "")]:
        response = client.post(f"{stay.url}orders/{order.pk}/{action}", {"reason": reason})
        assert response.status_code == 302, action
    assert orders_of(stay)[0].status == "active"
    page = client.get(f"{stay.url}orders/")
    assert "Say why the medicine is held." in page.text


def test_the_administrator_sets_the_dose_window(stay: Stay) -> None:
    from apps.admissions.services import admission_settings_get

    admin = stay.client("admin")
    for bad in ("abc", "0", "100000000000000000000"):
        response = admin.post("/admissions/setup/settings/", {"dose_window_minutes": bad})
        assert response.status_code == 200 and "id_dose_window_minutes_error" in response.text
    saved = admin.post(
        "/admissions/setup/settings/",
        {"allow_discharge_with_unbilled": "on", "dose_window_minutes": "30"},
    )
    assert saved.status_code == 302
    with tenant_context(stay.ward.hospital):
        rules = admission_settings_get()
    assert rules.dose_window_minutes == 30 and rules.allow_discharge_with_unbilled
    assert stay.client("nurse").post("/admissions/setup/settings/", {}).status_code == 403
