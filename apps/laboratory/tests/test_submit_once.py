"""A lab order and each act on it are submitted once: a double click on "Place order",
two tabs or Back and "Place order" again show the first order; a test already ordered in
the visit is not ordered again later either."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.core.tests.submitting import (
    landed,
    platform_events_kept_out,
    post_at_once,
    racing,
    window_passed,
)
from apps.laboratory.models import LabOrder, OrderStatus
from apps.laboratory.tests.conftest import item, linked_doctor, patient_of, place, reload
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

__all__ = ["platform_events_kept_out", "window_passed"]  # fixtures, used by name


def orders_of(hospital: Hospital) -> list[LabOrder]:
    with tenant_context(hospital):
        return list(LabOrder.objects.all())


@racing
def test_a_double_click_on_place_order_places_one_order(
    hospital_a: Hospital, technician_a: User
) -> None:
    patient = patient_of(hospital_a)
    data = {"patient": patient.pk, "items": [item(hospital_a, "CBC")], "priority": "routine"}
    first, second = post_at_once(hospital_a, technician_a, "/laboratory/orders/new/", data)
    (order,) = orders_of(hospital_a)
    assert landed(first) == landed(second) == f"/laboratory/orders/{order.pk}/"


@racing
def test_an_htmx_double_click_from_the_consultation_places_one_order(
    hospital_a: Hospital,
) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    appointment = make_appointment(hospital_a, doctor=linked_doctor(hospital_a, user))
    url = f"/laboratory/orders/new/?appointment={appointment.pk}"
    data = {
        "appointment": appointment.pk,
        "patient": appointment.patient_id,
        "items": [item(hospital_a, "GLU")],
        "priority": "routine",
    }
    answers = post_at_once(hospital_a, user, url, data, HTTP_HX_REQUEST="true")
    (order,) = orders_of(hospital_a)
    assert [answer["HX-Redirect"] for answer in answers] == [f"/laboratory/orders/{order.pk}/"] * 2


def test_back_and_place_order_again_shows_the_first_order(
    hospital_a: Hospital, technician_a: User
) -> None:
    client = hospital_client(hospital_a, technician_a)
    patient = patient_of(hospital_a)
    data = {"patient": patient.pk, "items": [item(hospital_a, "CBC")], "priority": "routine"}
    first = client.post("/laboratory/orders/new/", data)
    again = client.post("/laboratory/orders/new/", data)
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    assert len(orders_of(hospital_a)) == 1


def test_a_test_already_ordered_in_the_visit_is_refused_after_the_window(
    hospital_a: Hospital, window_passed: None
) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    appointment = make_appointment(hospital_a, doctor=linked_doctor(hospital_a, user))
    client = hospital_client(hospital_a, user)
    url = f"/laboratory/orders/new/?appointment={appointment.pk}"
    data = {
        "appointment": appointment.pk,
        "patient": appointment.patient_id,
        "items": [item(hospital_a, "GLU")],
        "priority": "routine",
    }
    assert client.post(url, data).status_code == 302
    (order,) = orders_of(hospital_a)
    again = client.post(url, data)
    assert again.status_code == 200
    assert f"Glucose, fasting is already ordered in this visit ({order.number})." in again.text
    assert len(orders_of(hospital_a)) == 1


def test_a_cancelled_test_may_be_ordered_again_in_the_visit(
    hospital_a: Hospital, technician_a: User
) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    first = place(hospital_a, appointment.patient, appointment=appointment)
    with tenant_context(hospital_a):
        LabOrder.objects.filter(pk=first.pk).update(status=OrderStatus.CANCELLED)
    place(hospital_a, appointment.patient, appointment=appointment)
    assert len(orders_of(hospital_a)) == 2


@racing
def test_a_double_click_on_collect_collects_once(hospital_a: Hospital, technician_a: User) -> None:
    order = place(hospital_a, patient_of(hospital_a))
    url = f"/laboratory/orders/{order.pk}/collect/"
    first, second = post_at_once(hospital_a, technician_a, url, {})
    collected = reload(hospital_a, order)
    assert collected.status == OrderStatus.COLLECTED
    assert landed(first) == landed(second) == f"/laboratory/orders/{order.pk}/"
    assert "already" not in second.text  # the copy is sent to the order, not refused


@racing
def test_an_htmx_double_click_on_cancel_cancels_once(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a))
    url = f"/laboratory/orders/{order.pk}/cancel/"
    answers = post_at_once(
        hospital_a, technician_a, url, {"reason": "Duplicate request"}, HTTP_HX_REQUEST="true"
    )
    assert reload(hospital_a, order).status == OrderStatus.CANCELLED
    assert [a["HX-Redirect"] for a in answers] == [f"/laboratory/orders/{order.pk}/"] * 2
