from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.consultations.dashboard import tiles
from apps.consultations.models import Amendment, Consultation, PrescriptionItem, Vitals
from apps.consultations.services import (
    PrescriptionItemDetails,
    consultation_complete,
    diagnosis_add,
    prescription_item_add,
)
from apps.consultations.tests.conftest import HTMX, Clinic, clinic_of
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@dataclass
class Visit:
    clinic: Clinic
    appointment: Appointment
    consultation: Consultation
    diagnosis_id: int
    second_diagnosis_id: int
    item_id: int

    @property
    def url(self) -> str:
        return f"/consultations/{self.consultation.pk}/"

    def refreshed(self) -> Consultation:
        with tenant_context(self.clinic.hospital):
            return Consultation.objects.get(pk=self.consultation.pk)


def visit_in(clinic: Clinic) -> Visit:
    consultation = clinic.opened()
    with tenant_context(clinic.hospital):
        first = diagnosis_add(consultation=consultation, code="J02.9")
        second = diagnosis_add(consultation=consultation, code="R50.9")
        item = prescription_item_add(
            hospital=clinic.hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(
                medicine="Amoxicillin 500 mg", dose="500 mg", frequency="3 times a day"
            ),
        )
    return Visit(clinic, consultation.appointment, consultation, first.pk, second.pk, item.pk)


@pytest.fixture
def visit(clinic: Clinic) -> Visit:
    return visit_in(clinic)


def all_urls(visit: Visit) -> list[tuple[str, str]]:
    """(method, url) of every page of the module."""
    a, c = visit.appointment.pk, visit.url
    return [
        ("get", "/consultations/"),
        ("post", f"/consultations/visits/{a}/open/"),
        ("get", f"/consultations/visits/{a}/vitals/"),
        ("get", c),
        ("post", f"{c}notes/"),
        ("get", f"{c}diagnoses/search/?q=J06"),
        ("post", f"{c}diagnoses/"),
        ("post", f"{c}diagnoses/{visit.second_diagnosis_id}/primary/"),
        ("post", f"{c}diagnoses/{visit.second_diagnosis_id}/remove/"),
        ("post", f"{c}prescription/items/"),
        ("post", f"{c}prescription/items/{visit.item_id}/remove/"),
        ("get", f"{c}prescription/"),
        ("post", f"{c}follow-up/"),
        ("post", f"{c}complete/"),
        ("post", f"{c}amend/"),
        ("post", f"{c}amend/diagnosis/"),
    ]


def doctor_only_urls(visit: Visit) -> list[tuple[str, str]]:
    reading = {"/consultations/", visit.url, f"{visit.url}prescription/"}
    return [
        (method, url)
        for method, url in all_urls(visit)
        if url not in reading and not url.endswith("/vitals/")
    ]


# -- access, for every page ---------------------------------------------------------------


def test_every_page_refuses_the_wrong_method(visit: Visit) -> None:
    client = visit.clinic.client()
    for method, url in all_urls(visit):
        if url.endswith("/vitals/"):  # GET shows the form, POST records
            continue
        wrong = client.post if method == "get" else client.get
        assert wrong(url).status_code == 405, url
    assert client.put(f"/consultations/visits/{visit.appointment.pk}/vitals/").status_code == 405


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.PHARMACIST, Role.ACCOUNTANT])
def test_other_roles_may_not_use_any_page(visit: Visit, role: str) -> None:
    client = hospital_client(visit.clinic.hospital, make_user(visit.clinic.hospital, role))
    for method, url in all_urls(visit):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_nurse_reads_and_records_vitals_but_writes_nothing_of_the_doctors(visit: Visit) -> None:
    nurse = visit.clinic.client(visit.clinic.nurse)
    assert nurse.get(visit.url).status_code == 200
    assert nurse.get(f"/consultations/visits/{visit.appointment.pk}/vitals/").status_code == 200
    for method, url in doctor_only_urls(visit):
        assert getattr(nurse, method)(url).status_code == 403, url
    assert visit.refreshed().status == "open"


def test_another_doctor_may_not_write_into_a_colleagues_consultation(visit: Visit) -> None:
    colleague = clinic_of(visit.clinic.hospital)
    client = colleague.client()
    for method, url in doctor_only_urls(visit):
        assert getattr(client, method)(url).status_code == 403, url
    assert "Save notes" not in client.get(visit.url).text


def test_users_of_another_hospital_are_refused(visit: Visit, hospital_b: Hospital) -> None:
    outsider = hospital_client(visit.clinic.hospital, make_user(hospital_b, Role.DOCTOR))
    for method, url in all_urls(visit):
        assert getattr(outsider, method)(url).status_code == 403, url


def test_hospital_a_ids_on_hospital_b_answer_404(visit: Visit, client_b: Client) -> None:
    for method, url in all_urls(visit):
        if url == "/consultations/":
            continue
        assert getattr(client_b, method)(url).status_code == 404, url


def test_a_hospital_without_the_module_answers_404(visit: Visit) -> None:
    hospital = visit.clinic.hospital
    hospital.enabled_modules = [m for m in hospital.enabled_modules if m != "consultations"]
    hospital.save()
    assert visit.clinic.client().get("/consultations/").status_code == 404


# -- the day list -----------------------------------------------------------------------


def test_a_doctor_sees_own_patients_of_today_in_queue_order(clinic: Clinic) -> None:
    booked_later = make_appointment(clinic.hospital, doctor=clinic.doctor)
    second = clinic.checked_in()
    first_in = make_appointment(clinic.hospital, doctor=clinic.doctor)
    with tenant_context(clinic.hospital):
        Appointment.objects.filter(pk=second.pk).update(queue_number=2)
        Appointment.objects.filter(pk=first_in.pk).update(status="checked_in", queue_number=1)
    others = make_appointment(clinic.hospital, doctor=make_doctor(clinic.hospital, name="Dr Other"))
    tomorrow = make_appointment(
        clinic.hospital, doctor=clinic.doctor, day=timezone.localdate() + timedelta(days=1)
    )
    text = clinic.client().get("/consultations/").text
    positions = [text.index(f"visit-{a.pk}") for a in (first_in, second, booked_later)]
    assert positions == sorted(positions)
    assert f"visit-{others.pk}" not in text and f"visit-{tomorrow.pk}" not in text
    assert "My patients today" in text and "Open consultation" in text


def test_a_nurse_picks_the_doctor_and_htmx_gets_only_the_queue(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    make_doctor(clinic.hospital, name="Dr Second")
    nurse = clinic.client(clinic.nurse)
    assert f"visit-{appointment.pk}" not in nurse.get("/consultations/").text
    fragment = nurse.get(f"/consultations/?doctor={clinic.doctor.pk}", **HTMX)
    assert fragment.status_code == 200
    assert f"visit-{appointment.pk}" in fragment.text and "<html" not in fragment.text
    assert "Open consultation" not in fragment.text  # a nurse records vitals, not notes
    assert "Vitals" in fragment.text


def test_a_doctor_without_a_linked_record_is_told_so(hospital_a: Hospital) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert "not linked to a doctor record" in client.get("/consultations/").text


# -- opening ----------------------------------------------------------------------------


def test_opening_moves_the_patient_into_consultation(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/")
    with tenant_context(clinic.hospital):
        consultation = Consultation.objects.get(appointment=appointment)
        assert Appointment.objects.get(pk=appointment.pk).status == "in_consultation"
    assert response.status_code == 302
    assert response["Location"] == f"/consultations/{consultation.pk}/"


def test_opening_with_htmx_redirects_the_browser(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/consultations/")


def test_a_patient_not_checked_in_cannot_be_opened(clinic: Clinic) -> None:
    appointment = make_appointment(clinic.hospital, doctor=clinic.doctor)
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/", follow=True)
    assert "cannot become" in response.text
    with tenant_context(clinic.hospital):
        assert not Consultation.objects.exists()


# -- vitals -----------------------------------------------------------------------------


def test_a_nurse_records_vitals_and_the_bmi_is_computed(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    response = clinic.client(clinic.nurse).post(url, {"weight": "80", "height": "180"})
    assert response.status_code == 302
    with tenant_context(clinic.hospital):
        [vitals] = Vitals.objects.all()
    assert str(vitals.bmi) == "24.7"
    assert "24.7" in clinic.client(clinic.nurse).get(url).text


def test_implausible_vitals_are_refused_next_to_the_field(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    response = clinic.client(clinic.nurse).post(url, {"pulse": "400", "spo2": "97"})
    assert response.status_code == 200
    assert 'id="id_pulse_error"' in response.text and "not plausible" in response.text
    assert 'id="id_spo2_error"' not in response.text
    with tenant_context(clinic.hospital):
        assert not Vitals.objects.exists()


def test_abnormal_vitals_are_flagged_in_words_in_the_htmx_fragment(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    fragment = clinic.client(clinic.nurse).post(
        url, {"systolic": "165", "diastolic": "100", "spo2": "91"}, **HTMX
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Systolic pressure: High" in fragment.text
    assert "SpO₂: Low" in fragment.text
    assert "Vitals recorded." in fragment.text


def test_the_vitals_page_is_a_page_without_htmx(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    page = clinic.client(clinic.nurse).get(f"/consultations/visits/{appointment.pk}/vitals/")
    assert "<html" in page.text and 'name="systolic"' in page.text


# -- the consultation page --------------------------------------------------------------


def test_the_consultation_page_and_its_htmx_fragment(visit: Visit) -> None:
    client = visit.clinic.client()
    page = client.get(visit.url)
    assert "<html" in page.text and "J02.9" in page.text and "Amoxicillin" in page.text
    assert "Save notes" in page.text
    fragment = client.get(visit.url, **HTMX)
    assert "<html" not in fragment.text and 'id="consultation"' in fragment.text


def test_saving_notes(visit: Visit) -> None:
    client = visit.clinic.client()
    notes = {"complaint": "Sore throat for 3 days", "assessment": "Pharyngitis"}
    assert client.post(f"{visit.url}notes/", notes).status_code == 302
    fragment = client.post(f"{visit.url}notes/", {**notes, "history": "No fever"}, **HTMX)
    assert 'id="notes"' in fragment.text and "<html" not in fragment.text
    assert "Notes saved" in fragment.text
    saved = visit.refreshed()
    assert (saved.complaint, saved.history) == ("Sore throat for 3 days", "No fever")


def test_notes_that_are_too_long_are_refused_next_to_the_field(visit: Visit) -> None:
    response = visit.clinic.client().post(f"{visit.url}notes/", {"complaint": "x" * 20_001})
    assert response.status_code == 200 and 'id="id_complaint_error"' in response.text


def test_searching_icd10_as_you_type(visit: Visit) -> None:
    client = visit.clinic.client()
    fragment = client.get(f"{visit.url}diagnoses/search/?q=acute+pharyng", **HTMX)
    assert "<html" not in fragment.text
    assert "J02.9" in fragment.text and "Acute pharyngitis, unspecified" in fragment.text
    assert "No ICD-10 code" in client.get(f"{visit.url}diagnoses/search/?q=qqqq", **HTMX).text
    assert "<html" in client.get(f"{visit.url}diagnoses/search/?q=J02").text


def test_adding_a_diagnosis_returns_the_diagnoses_fragment(visit: Visit) -> None:
    fragment = visit.clinic.client().post(
        f"{visit.url}diagnoses/", {"code": "I10", "primary": "on"}, **HTMX
    )
    assert 'id="diagnoses"' in fragment.text and "<html" not in fragment.text
    with tenant_context(visit.clinic.hospital):
        assert visit.consultation.diagnoses.get(is_primary=True).code == "I10"


def test_an_unknown_code_is_refused_with_a_message(visit: Visit) -> None:
    response = visit.clinic.client().post(f"{visit.url}diagnoses/", {"code": "ZZ99"}, **HTMX)
    assert "is not an ICD-10 code" in response.text
    with tenant_context(visit.clinic.hospital):
        assert visit.consultation.diagnoses.count() == 2


def test_making_primary_and_removing_diagnoses(visit: Visit) -> None:
    client = visit.clinic.client()
    second = visit.second_diagnosis_id
    assert client.post(f"{visit.url}diagnoses/{second}/primary/").status_code == 302
    with tenant_context(visit.clinic.hospital):
        assert visit.consultation.diagnoses.get(is_primary=True).pk == second
    fragment = client.post(f"{visit.url}diagnoses/{second}/remove/", **HTMX)
    assert 'id="diagnoses"' in fragment.text and "R50.9" not in fragment.text
    with tenant_context(visit.clinic.hospital):
        assert visit.consultation.diagnoses.get().is_primary


def test_adding_and_removing_prescription_items(visit: Visit) -> None:
    client = visit.clinic.client()
    # a medicine outside the formulary (this hospital's catalogue is empty), with its reason
    item = {
        "medicine": "Paracetamol 500 mg",
        "outside_formulary": "on",
        "outside_formulary_reason": "Not stocked",
        "dose": "1",
        "dose_unit": "tablet",
        "route": "oral",
        "frequency": "every_hours",
        "every_hours": "6",
        "duration_days": "3",
        "quantity": "10",
    }
    fragment = client.post(f"{visit.url}prescription/items/", item, **HTMX)
    assert 'id="prescription"' in fragment.text and "Paracetamol 500 mg" in fragment.text
    assert client.post(f"{visit.url}prescription/items/{visit.item_id}/remove/").status_code == 302
    with tenant_context(visit.clinic.hospital):
        assert [i.medicine for i in PrescriptionItem.objects.all()] == ["Paracetamol 500 mg"]


def test_an_incomplete_prescription_item_is_refused_next_to_each_field(visit: Visit) -> None:
    response = visit.clinic.client().post(
        f"{visit.url}prescription/items/",
        {"medicine": "Ibuprofen", "route": "oral", "quantity": "0"},
    )
    assert response.status_code == 200
    for field in ("dose", "frequency", "quantity"):
        assert f'id="id_{field}_error"' in response.text


def test_the_printable_prescription(visit: Visit) -> None:
    page = visit.clinic.client().get(f"{visit.url}prescription/")
    hospital = visit.clinic.hospital
    assert page.status_code == 200
    for expected in (
        hospital.name,
        visit.clinic.doctor.full_name,
        "Amoxicillin 500 mg",
        visit.appointment.patient.number,
        "consultations/consultations.css",
    ):
        assert expected in page.text


def test_a_consultation_without_medicines_has_no_prescription_to_print(clinic: Clinic) -> None:
    consultation = clinic.opened()
    assert clinic.client().get(f"/consultations/{consultation.pk}/prescription/").status_code == 404


def test_booking_the_follow_up(visit: Visit) -> None:
    day = timezone.localdate() + timedelta(days=14)
    fragment = visit.clinic.client().post(
        f"{visit.url}follow-up/", {"day": day.isoformat()}, **HTMX
    )
    assert 'id="follow-up"' in fragment.text and "Booked with" in fragment.text
    follow_up = visit.refreshed().follow_up
    assert follow_up is not None and follow_up.kind == "follow_up" and follow_up.date == day


def test_a_follow_up_in_the_past_is_refused_next_to_the_field(visit: Visit) -> None:
    day = timezone.localdate() - timedelta(days=1)
    response = visit.clinic.client().post(f"{visit.url}follow-up/", {"day": day.isoformat()})
    assert response.status_code == 200 and 'id="id_day_error"' in response.text
    assert visit.refreshed().follow_up is None


def test_completing_locks_the_page_and_completes_the_appointment(visit: Visit) -> None:
    client = visit.clinic.client()
    response = client.post(f"{visit.url}complete/")
    assert response.status_code == 302
    page = client.get(visit.url).text
    assert "Completed · locked" in page and "Save notes" not in page and "Amend the record" in page
    with tenant_context(visit.clinic.hospital):
        assert (
            Appointment.objects.get(pk=visit.appointment.pk).status == AppointmentStatus.COMPLETED
        )
    refused = client.post(f"{visit.url}notes/", {"complaint": "changed"})
    assert "locked" in refused.text
    assert visit.refreshed().complaint == ""


def test_completing_without_a_diagnosis_says_why_in_the_fragment(clinic: Clinic) -> None:
    consultation = clinic.opened()
    fragment = clinic.client().post(f"/consultations/{consultation.pk}/complete/", **HTMX)
    assert 'id="complete"' in fragment.text and "at least one diagnosis" in fragment.text
    with tenant_context(clinic.hospital):
        assert Consultation.objects.get(pk=consultation.pk).status == "open"


def test_amending_a_completed_consultation_keeps_the_original(visit: Visit) -> None:
    client = visit.clinic.client()
    client.post(f"{visit.url}notes/", {"assessment": "Viral pharyngitis"})
    with tenant_context(visit.clinic.hospital):
        consultation_complete(
            consultation=visit.consultation, completed_by=visit.clinic.doctor_user
        )
    missing_reason = client.post(
        f"{visit.url}amend/", {"field": "assessment", "new_value": "Strep throat", "reason": ""}
    )
    assert 'id="id_reason_error"' in missing_reason.text
    fragment = client.post(
        f"{visit.url}amend/",
        {"field": "assessment", "new_value": "Strep throat", "reason": "Culture positive"},
        **HTMX,
    )
    assert 'id="record"' in fragment.text and "<html" not in fragment.text
    assert "Viral pharyngitis" in fragment.text and "Strep throat" in fragment.text
    assert "Assessment and plan" in fragment.text and "Culture positive" in fragment.text
    with tenant_context(visit.clinic.hospital):
        amendment = Amendment.objects.get()
    assert (amendment.old_value, amendment.author_id) == (
        "Viral pharyngitis",
        visit.clinic.doctor_user.pk,
    )


def test_correcting_a_diagnosis_after_completion(visit: Visit) -> None:
    client = visit.clinic.client()
    with tenant_context(visit.clinic.hospital):
        consultation_complete(
            consultation=visit.consultation, completed_by=visit.clinic.doctor_user
        )
    data = {"dx-diagnosis": str(visit.diagnosis_id), "dx-new_code": "ZZ1", "dx-reason": "typo"}
    refused = client.post(f"{visit.url}amend/diagnosis/", data)
    assert refused.status_code == 200 and 'id="id_dx-new_code_error"' in refused.text
    fragment = client.post(f"{visit.url}amend/diagnosis/", {**data, "dx-new_code": "J03.9"}, **HTMX)
    assert 'id="record"' in fragment.text and "<html" not in fragment.text
    assert "J02.9 Acute pharyngitis, unspecified" in fragment.text  # the original, kept
    with tenant_context(visit.clinic.hospital):
        assert visit.consultation.diagnoses.get(pk=visit.diagnosis_id).code == "J03.9"


# -- history and dashboard --------------------------------------------------------------


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
