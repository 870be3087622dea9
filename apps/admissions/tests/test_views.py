from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.admissions.models import (
    Admission,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionStatus,
    Bed,
    BedStatus,
    DoseAdministration,
    NursingNote,
    Occupancy,
    Room,
    Ward,
)
from apps.admissions.services import (
    admission_request_create,
    admission_settings_update,
    admission_transfer,
)
from apps.admissions.tests.conftest import HTMX, Hospitalward, ward_of
from apps.consultations.models import Consultation, Vitals
from apps.consultations.services import (
    PrescriptionItemDetails,
    VitalsValues,
    prescription_item_add,
    vitals_record,
)
from apps.core import billable
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@dataclass
class Stay:
    ward: Hospitalward
    admission: Admission
    request: AdmissionRequest
    consultation: Consultation
    item_id: int
    cleaning_bed: Bed

    @property
    def url(self) -> str:
        return f"/admissions/{self.admission.pk}/"

    def refreshed(self) -> Admission:
        with tenant_context(self.ward.hospital):
            return Admission.objects.get(pk=self.admission.pk)

    def client(self, role: str = "doctor") -> Client:
        users = {"doctor": self.ward.doctor_user, "nurse": self.ward.nurse}
        if role == "admin":
            return hospital_client(self.ward.hospital, make_user(self.ward.hospital))
        if role == "receptionist":
            return hospital_client(self.ward.hospital, self.ward.receptionist)
        return hospital_client(self.ward.hospital, users[role])


def stay_in(ward: Hospitalward) -> Stay:
    consultation = ward.clinic.opened(patient=ward.patient)
    admission = ward.admit(consultation=consultation, at=timezone.now() - timedelta(hours=1))
    with tenant_context(ward.hospital):
        item = prescription_item_add(
            hospital=ward.hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(
                medicine="Ceftriaxone", dose="1 g", frequency="every 8 hours"
            ),
        )
        waiting = admission_request_create(
            patient=ward.patient_named("Waiting"),
            reason="Elective surgery",
            requested_by=ward.doctor_user,
        )
        other = ward.admit(patient=ward.patient_named("Moved"), bed=ward.beds[1])
        admission_transfer(admission=other, bed=ward.beds[2], transferred_by=ward.nurse)
    return Stay(ward, admission, waiting, consultation, item.pk, ward.beds[1])


@pytest.fixture
def stay(ward: Hospitalward) -> Stay:
    return stay_in(ward)


def all_urls(stay: Stay) -> list[tuple[str, str]]:
    a, w = stay.url, stay.ward
    return [
        ("get", "/admissions/"),
        ("get", "/admissions/to-admit/"),
        ("get", "/admissions/to-discharge/"),
        ("get", "/admissions/beds/"),
        ("get", f"/admissions/wards/{w.general.pk}/beds/"),
        ("post", f"/admissions/beds/{stay.cleaning_bed.pk}/clean/"),
        ("get", "/admissions/requests/new/"),
        ("post", f"/admissions/requests/{stay.request.pk}/cancel/"),
        ("get", "/admissions/admit/"),
        ("get", a),
        ("post", f"{a}transfer/"),
        ("post", f"{a}plan/"),
        ("post", f"{a}cancel/"),
        ("get", f"{a}discharge/"),
        ("get", f"{a}summary/"),
        ("get", f"{a}nursing/"),
        ("post", f"{a}vitals/"),
        ("post", f"{a}notes/"),
        ("post", f"{a}doses/"),
        ("get", "/admissions/setup/"),
        ("post", "/admissions/setup/wards/"),
        ("get", f"/admissions/setup/wards/{w.general.pk}/"),
        ("post", f"/admissions/setup/wards/{w.general.pk}/rooms/"),
        ("post", f"/admissions/setup/rooms/{w.beds[0].room_id}/beds/"),
        ("post", "/admissions/setup/settings/"),
    ]


GET_AND_POST = ("requests/new/", "admit/", "discharge/", "/setup/wards/")


# -- access, for every page ---------------------------------------------------------------


def test_every_page_refuses_the_wrong_method(stay: Stay) -> None:
    client = stay.client("admin")
    for method, url in all_urls(stay):
        if method == "get" and url.endswith(GET_AND_POST) and not url.endswith("/setup/wards/"):
            assert client.put(url).status_code == 405, url
            continue
        if url.endswith(f"/setup/wards/{stay.ward.general.pk}/"):
            assert client.delete(url).status_code == 405, url
            continue
        wrong = client.post if method == "get" else client.get
        assert wrong(url).status_code == 405, url


@pytest.mark.parametrize("role", [Role.PHARMACIST, Role.ACCOUNTANT, Role.LAB_TECHNICIAN])
def test_roles_outside_the_module_may_not_use_any_page(stay: Stay, role: str) -> None:
    client = hospital_client(stay.ward.hospital, make_user(stay.ward.hospital, role))
    for method, url in all_urls(stay):
        assert getattr(client, method)(url).status_code == 403, url


def test_only_the_administrator_sets_up_wards(stay: Stay) -> None:
    for role in ("doctor", "nurse", "receptionist"):
        client = stay.client(role)
        for method, url in all_urls(stay):
            if "/setup/" in url:
                assert getattr(client, method)(url).status_code == 403, (role, url)


def test_a_receptionist_admits_but_does_no_clinical_work(stay: Stay) -> None:
    client = stay.client("receptionist")
    assert client.get("/admissions/admit/").status_code == 200
    assert client.get(stay.url).status_code == 200
    for suffix in ("transfer/", "plan/", "vitals/", "notes/", "doses/"):
        assert client.post(f"{stay.url}{suffix}").status_code == 403, suffix
    assert client.get(f"{stay.url}nursing/").status_code == 403
    assert client.get(f"{stay.url}discharge/").status_code == 403
    assert client.post(f"/admissions/beds/{stay.cleaning_bed.pk}/clean/").status_code == 403


def test_a_nurse_may_not_admit_or_discharge(stay: Stay) -> None:
    client = stay.client("nurse")
    assert client.get("/admissions/admit/").status_code == 403
    assert client.get(f"{stay.url}discharge/").status_code == 403
    assert client.post(f"{stay.url}plan/").status_code == 403
    assert client.get("/admissions/requests/new/").status_code == 403
    assert stay.refreshed().status == AdmissionStatus.ADMITTED


def test_users_of_another_hospital_are_refused(stay: Stay, hospital_b: Hospital) -> None:
    outsider = hospital_client(stay.ward.hospital, make_user(hospital_b))
    for method, url in all_urls(stay):
        assert getattr(outsider, method)(url).status_code == 403, url


def test_hospital_a_ids_on_hospital_b_answer_404(stay: Stay, client_b: Client) -> None:
    stay_in(ward_of(Hospital.objects.get(subdomain="lakeside")))  # B has rows of its own
    for method, url in all_urls(stay):
        if not any(ch.isdigit() for ch in url.split("/admissions/")[1]):
            continue
        assert getattr(client_b, method)(url).status_code == 404, url


def test_a_hospital_without_the_module_answers_404(stay: Stay) -> None:
    hospital = stay.ward.hospital
    hospital.enabled_modules = [m for m in hospital.enabled_modules if m != "admissions"]
    hospital.save()
    assert stay.client().get("/admissions/").status_code == 404


# -- lists and the bed map -----------------------------------------------------------------


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


# -- requests and admitting ---------------------------------------------------------------


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


# -- one admission ------------------------------------------------------------------------


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


# -- discharge ----------------------------------------------------------------------------


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


# -- nursing ------------------------------------------------------------------------------


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


def _next_dose(stay: Stay) -> str:
    """The first dose time of the item (every 8 hours) from admission on, as posted."""
    from apps.admissions.selectors import medication_chart

    with tenant_context(stay.ward.hospital):
        for offset in range(2):
            day = timezone.localdate() + timedelta(days=offset)
            [line] = medication_chart(admission=stay.admission, day=day, now=timezone.now())
            if line.doses:
                return line.doses[0].scheduled_at.isoformat()
    raise AssertionError("no dose in two days")


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


# -- set-up -------------------------------------------------------------------------------


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


def test_a_dose_time_typed_near_midnight_lands_on_the_right_day() -> None:
    from datetime import time

    from apps.admissions.tests.conftest import local
    from apps.admissions.views.nursing import _given_at

    assert _given_at(local(2026, 3, 2, 0), time(23, 50)) == local(2026, 3, 1, 23, 50)
    assert _given_at(local(2026, 3, 2, 20), time(20, 15)) == local(2026, 3, 2, 20, 15)
    assert _given_at(local(2026, 3, 2, 22), time(0, 30)) == local(2026, 3, 3, 0, 30)


# -- dashboard and history ----------------------------------------------------------------


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


def test_malformed_ids_and_days_answer_404_or_today_never_500(stay: Stay) -> None:
    client = stay.client()
    assert client.get("/admissions/admit/?consultation=nonsense").status_code == 404
    assert client.get("/admissions/admit/?request=nonsense").status_code == 404
    assert client.get("/admissions/?ward=nonsense").status_code == 404
    for day in ("2026-02-30", "yesterday", ""):
        page = client.get(f"{stay.url}nursing/?day={day}")
        assert page.status_code == 200
        assert timezone.localdate().strftime("%Y") in page.text
