"""The study's pages end to end through the views: ordered from the consultation,
performed, reported from the template, verified by a second reader, printed, and on
the patient's page; bad input answered next to the field."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.consultations.tests.conftest import HTMX, clinic_of
from apps.radiology.models import Study, StudyStatus
from apps.radiology.tests.conftest import (
    examination,
    is_fragment,
    order,
    performed,
    reload,
    reported,
    verified,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_a_doctor_orders_a_chest_x_ray_from_the_consultation(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    page = clinic.client().get(f"/consultations/{consultation.pk}/").text
    link = f"/radiology/orders/new/?appointment={consultation.appointment_id}"
    assert f'href="{link}"' in page and 'id="radiology-studies"' in page
    assert clinic.client().get(link).status_code == 200
    with tenant_context(hospital_a):
        chest = examination()
    response = clinic.client().post(
        link,
        {
            "appointment": consultation.appointment_id,
            "patient": consultation.patient.pk,
            "examination": chest.pk,
            "priority": "urgent",
            "clinical_notes": "Cough and fever for a week",
        },
        **HTMX,
    )
    with tenant_context(hospital_a):
        study = Study.objects.get()
    assert response.headers["HX-Redirect"] == f"/radiology/studies/{study.pk}/"
    assert study.appointment_id == consultation.appointment_id
    assert study.ordered_by_id == clinic.doctor_user.pk and study.is_urgent
    page = clinic.client().get(f"/consultations/{consultation.pk}/").text
    assert study.number in page


def test_an_order_without_patient_or_examination_is_refused_next_to_the_fields(
    hospital_a: Hospital, radiologist: Client
) -> None:
    response = radiologist.post("/radiology/orders/new/", {"priority": "sometimes"}, **HTMX)
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="id_patient_error"' in response.text
    assert "Choose the examination." in response.text
    assert 'id="id_examination_error"' in response.text


def test_the_worklist_shows_each_modality_urgent_first(
    hospital_a: Hospital, radiologist: Client
) -> None:
    routine = order(hospital_a)
    urgent = order(hospital_a, priority="urgent")
    ultrasound = order(hospital_a, code="US-ABD")
    page = radiologist.get("/radiology/worklist/?m=XR").text
    assert page.index(urgent.number) < page.index(routine.number)
    assert ultrasound.number not in page
    assert ultrasound.number in radiologist.get("/radiology/worklist/?m=US").text
    assert radiologist.get("/radiology/worklist/?m=NOPE").status_code == 404
    fragment = radiologist.get("/radiology/worklist/", **HTMX)
    assert is_fragment(fragment) and routine.number in fragment.text


def test_the_report_form_starts_from_the_examinations_template(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, radiologist: Client
) -> None:
    performed(hospital_a, study_a, radiologist_a)
    page = radiologist.get(f"/radiology/studies/{study_a.pk}/").text
    with tenant_context(hospital_a):
        template = examination().default_findings
    assert template in page


def test_a_report_submitted_empty_is_refused_next_to_the_field(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, radiologist: Client
) -> None:
    performed(hospital_a, study_a, radiologist_a)
    response = radiologist.post(
        f"/radiology/studies/{study_a.pk}/report/",
        {"findings": "Clear lungs.", "impression": "", "action": "submit"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'id="id_impression_error"' in response.text
    assert reload(hospital_a, study_a).status == StudyStatus.PERFORMED


def test_perform_report_and_verify_through_the_pages(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, second_radiologist_a: User
) -> None:
    first = hospital_client(hospital_a, radiologist_a)
    second = hospital_client(hospital_a, second_radiologist_a)
    base = f"/radiology/studies/{study_a.pk}"
    assert first.post(f"{base}/perform/").status_code == 302
    report = {"findings": "Right lower lobe consolidation.", "impression": "Pneumonia."}
    assert first.post(f"{base}/report/", {**report, "action": "submit"}).status_code == 302
    refused = first.post(f"{base}/verify/", **HTMX)
    assert "a second reader must verify it" in refused.text
    assert reload(hospital_a, study_a).status == StudyStatus.REPORTED
    assert second.post(f"{base}/verify/").status_code == 302
    study = reload(hospital_a, study_a)
    assert (study.status, study.verified_by_id) == (StudyStatus.VERIFIED, second_radiologist_a.pk)
    printed = first.get(f"{base}/print/")
    assert printed.status_code == 200
    assert "Pneumonia." in printed.text and 'class="print-header' in printed.text
    again = second.post(f"{base}/verify/", **HTMX)
    assert "is Verified and cannot become Verified" in again.text


def test_an_unverified_report_does_not_print(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, radiologist: Client
) -> None:
    reported(hospital_a, study_a, radiologist_a)
    assert radiologist.get(f"/radiology/studies/{study_a.pk}/print/").status_code == 409


def test_the_verified_report_is_on_the_patients_page(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, second_radiologist_a: User
) -> None:
    verified(hospital_a, study_a, radiologist_a, second_radiologist_a)
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    page = doctor.get(f"/patients/{study_a.patient_id}/").text
    assert study_a.number in page and "Normal chest." in page


def test_amending_through_the_page_keeps_the_history(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, second_radiologist_a: User
) -> None:
    verified(hospital_a, study_a, radiologist_a, second_radiologist_a)
    client = hospital_client(hospital_a, radiologist_a)
    url = f"/radiology/studies/{study_a.pk}/amend/"
    assert "Normal chest." in client.get(url).text
    missing = client.post(url, {"findings": "x", "impression": "y", "reason": ""}, **HTMX)
    assert 'id="id_reason_error"' in missing.text
    done = client.post(
        url, {"findings": "Small effusion.", "impression": "Effusion.", "reason": "Review"}
    )
    assert done.status_code == 302
    page = client.get(f"/radiology/studies/{study_a.pk}/").text
    assert "Effusion." in page and "Normal chest." in page  # the verified text is kept


def test_a_cancel_without_a_reason_is_refused_next_to_the_field(
    hospital_a: Hospital, study_a: Study, radiologist: Client
) -> None:
    response = radiologist.post(f"/radiology/studies/{study_a.pk}/cancel/", {"reason": ""}, **HTMX)
    assert response.status_code == 200 and 'id="id_reason_error"' in response.text


def test_an_administrator_sets_a_price_and_bad_input_stays_on_the_form(
    hospital_a: Hospital, client_a: Client
) -> None:
    with tenant_context(hospital_a):
        chest = examination()
    url = f"/radiology/catalogue/{chest.pk}/"
    bad = client_a.post(url, {"price": "abc", "is_active": "on"}, **HTMX)
    assert bad.status_code == 200 and 'id="id_price_error"' in bad.text
    assert client_a.post(url, {"price": "18,50"}).status_code == 302
    with tenant_context(hospital_a):
        chest.refresh_from_db()
    assert (str(chest.price), chest.is_active) == ("18.50", False)


def test_an_order_sent_twice_places_one_study(hospital_a: Hospital, radiologist: Client) -> None:
    patient = order(hospital_a).patient
    with tenant_context(hospital_a):
        head = examination("CT-HEAD")
    form = {"patient": patient.pk, "examination": head.pk, "priority": "routine"}
    first = radiologist.post("/radiology/orders/new/", form)
    second = radiologist.post("/radiology/orders/new/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with tenant_context(hospital_a):
        assert Study.objects.filter(examination=head).count() == 1


def test_perform_clicked_twice_performs_once(
    hospital_a: Hospital, study_a: Study, radiologist: Client
) -> None:
    url = f"/radiology/studies/{study_a.pk}/perform/"
    assert radiologist.post(url).status_code == 302
    assert radiologist.post(url).status_code == 302  # answered with the first one's outcome
    assert reload(hospital_a, study_a).status == StudyStatus.PERFORMED
