"""The ordering doctor of a lab order: a doctor orders in their own name; anyone else
naming a doctor enters that doctor's verbal or written order, marked as transcribed by
them on the order and its report."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import approved, item, linked_doctor, patient_of, place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def the_order(hospital: Hospital) -> LabOrder:
    with tenant_context(hospital):
        return LabOrder.objects.select_related("ordering_doctor").get()


def test_a_doctor_is_the_ordering_doctor_whoever_the_form_names(hospital_a: Hospital) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    doctor = linked_doctor(hospital_a, user)
    someone_else = make_doctor(hospital_a, name="Dr Elvin Babayev")
    response = hospital_client(hospital_a, user).post(
        "/laboratory/orders/new/",
        {
            "patient": patient_of(hospital_a).pk,
            "items": [item(hospital_a, "CBC")],
            "priority": "routine",
            "ordering_doctor": someone_else.pk,
        },
    )
    assert response.status_code == 302
    order = the_order(hospital_a)
    assert order.ordering_doctor_id == doctor.pk and order.transcribed_by_id is None


def test_a_doctors_order_form_names_the_doctor_without_a_choice(hospital_a: Hospital) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    doctor = linked_doctor(hospital_a, user)
    page = hospital_client(hospital_a, user).get("/laboratory/orders/new/").text
    assert f"Ordering doctor: {doctor.full_name}" in page
    assert 'name="ordering_doctor"' not in page


def test_the_lab_desk_naming_a_doctor_enters_a_transcribed_order(
    hospital_a: Hospital, technician_a: User
) -> None:
    doctor = make_doctor(hospital_a, name="Dr Elvin Babayev")
    client = hospital_client(hospital_a, technician_a)
    form = client.get("/laboratory/orders/new/").text
    assert "transcribed by you" in form
    response = client.post(
        "/laboratory/orders/new/",
        {
            "patient": patient_of(hospital_a).pk,
            "items": [item(hospital_a, "CBC")],
            "priority": "routine",
            "ordering_doctor": doctor.pk,
        },
    )
    order = the_order(hospital_a)
    assert order.ordering_doctor_id == doctor.pk and order.transcribed_by_id == technician_a.pk
    page = client.get(response["Location"]).text
    assert 'data-testid="transcribed-by"' in page and "transcribed by Aynur Lab" in page


def test_a_walk_in_naming_no_doctor_is_not_transcribed(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a), user=technician_a)
    assert order.ordering_doctor_id is None and order.transcribed_by_id is None


def test_an_order_entered_in_a_doctors_visit_by_the_lab_is_transcribed_for_that_doctor(
    hospital_a: Hospital, technician_a: User
) -> None:
    doctor = make_doctor(hospital_a)
    appointment = make_appointment(hospital_a, doctor=doctor)
    order = place(hospital_a, appointment.patient, user=technician_a, appointment=appointment)
    assert order.ordering_doctor_id == doctor.pk and order.transcribed_by_id == technician_a.pk


def test_the_report_says_who_transcribed_the_order(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    doctor = make_doctor(hospital_a, name="Dr Elvin Babayev")
    order = place(hospital_a, patient_of(hospital_a), user=technician_a, ordering_doctor=doctor)
    approved(hospital_a, order, technician_a, second_technician_a)
    client: Client = hospital_client(hospital_a, technician_a)
    report = client.get(f"/laboratory/orders/{order.pk}/report/").text
    assert "Dr Elvin Babayev" in report and "transcribed by Aynur Lab" in report


def test_an_order_a_doctor_placed_says_nothing_of_transcription(
    hospital_a: Hospital, technician_a: User
) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    doctor = linked_doctor(hospital_a, user)
    order = place(hospital_a, patient_of(hospital_a), user=user)
    assert order.ordering_doctor_id == doctor.pk
    page = hospital_client(hospital_a, technician_a).get(f"/laboratory/orders/{order.pk}/").text
    assert "transcribed by" not in page
