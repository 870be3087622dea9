"""Consultations views: the consultation page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.appointments.models import Appointment, AppointmentStatus
from apps.consultations.models import Amendment, Consultation, PrescriptionItem
from apps.consultations.services import consultation_complete
from apps.consultations.tests.conftest import HTMX, Clinic, Visit
from apps.tenancy.context import tenant_context


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
