"""Laboratory views: ordering."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import is_fragment, item, linked_doctor, patient_of
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_lab_desk_orders_a_blood_count_for_a_walk_in(
    hospital_a: Hospital, technician: Client
) -> None:
    patient = patient_of(hospital_a)
    page = technician.get("/laboratory/orders/new/")
    assert page.status_code == 200 and "Complete blood count" in page.text
    response = technician.post(
        "/laboratory/orders/new/",
        {"patient": patient.pk, "items": [item(hospital_a, "CBC")], "priority": "urgent"},
    )
    with tenant_context(hospital_a):
        order = LabOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/laboratory/orders/{order.pk}/"
    assert order.patient_id == patient.pk and order.is_urgent and order.ordering_doctor is None


def test_finding_the_patient_as_you_type_returns_the_choices_fragment(
    hospital_a: Hospital, technician: Client
) -> None:
    patient_of(hospital_a)
    response = technician.get("/laboratory/orders/new/", {"q": "nizami"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="patient-choices"' in response.text and "Nizami" in response.text


def test_an_order_without_tests_or_patient_is_refused_next_to_the_fields(
    hospital_a: Hospital, technician: Client
) -> None:
    response = technician.post(
        "/laboratory/orders/new/", {"priority": "routine"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="id_items_error"' in response.text and 'id="id_patient_error"' in response.text
    with tenant_context(hospital_a):
        assert not LabOrder.objects.exists()


def test_a_test_ordered_twice_is_refused_next_to_the_tests(
    hospital_a: Hospital, technician: Client
) -> None:
    patient = patient_of(hospital_a)
    response = technician.post(
        "/laboratory/orders/new/",
        {
            "patient": patient.pk,
            "items": [item(hospital_a, "CBC"), item(hospital_a, "HGB")],
            "priority": "routine",
        },
    )
    assert "already in Complete blood count" in response.text
    assert 'id="id_items_error"' in response.text
    with tenant_context(hospital_a):
        assert not LabOrder.objects.exists()


def test_a_doctor_orders_from_the_consultation_with_a_client_redirect(
    hospital_a: Hospital,
) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    doctor = linked_doctor(hospital_a, user)
    appointment = make_appointment(hospital_a, doctor=doctor)
    client = hospital_client(hospital_a, user)
    page = client.get("/laboratory/orders/new/", {"appointment": str(appointment.pk)})
    assert appointment.patient.full_name in page.text
    response = client.post(
        f"/laboratory/orders/new/?appointment={appointment.pk}",
        {
            "appointment": appointment.pk,
            "patient": appointment.patient_id,
            "items": [item(hospital_a, "GLU")],
            "priority": "routine",
        },
        HTTP_HX_REQUEST="true",
    )
    with tenant_context(hospital_a):
        order = LabOrder.objects.get()
    assert response.headers["HX-Redirect"] == f"/laboratory/orders/{order.pk}/"
    assert order.appointment_id == appointment.pk and order.ordering_doctor_id == doctor.pk
    assert order.ordered_by_id == user.pk


def test_an_appointment_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client
) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    response = client_b.get("/laboratory/orders/new/", {"appointment": str(appointment.pk)})
    assert response.status_code == 404
    assert client_b.get("/laboratory/orders/new/", {"appointment": "nonsense"}).status_code == 404


def test_a_patient_of_hospital_a_cannot_be_ordered_for_on_hospital_bs_host(
    hospital_a: Hospital, hospital_b: Hospital, client_b: Client
) -> None:
    patient = patient_of(hospital_a)
    response = client_b.post(
        "/laboratory/orders/new/",
        {"patient": patient.pk, "items": [item(hospital_b, "CBC")], "priority": "routine"},
    )
    assert response.status_code == 200 and 'id="id_patient_error"' in response.text
    with tenant_context(hospital_b):
        assert not LabOrder.objects.exists()
