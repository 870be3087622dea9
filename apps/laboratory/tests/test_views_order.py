"""Laboratory views: the order page and its steps."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.laboratory.models import LabOrder, OrderStatus
from apps.laboratory.services import lab_order_approve
from apps.laboratory.tests.conftest import (
    NORMAL_CBC,
    approved,
    collected,
    fields_of,
    is_fragment,
    reload,
    resulted,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_order_page_shows_the_patient_the_tests_and_the_next_step(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    response = technician.get(f"/laboratory/orders/{order_a.pk}/")
    assert response.status_code == 200 and not is_fragment(response)
    assert order_a.number in response.text and "Nizami" in response.text
    assert "Complete blood count" in response.text and "Sample collected" in response.text
    fragment = technician.get(f"/laboratory/orders/{order_a.pk}/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-order"' in fragment.text


def test_a_doctor_reads_the_order_but_gets_no_lab_buttons(
    hospital_a: Hospital, order_a: LabOrder
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    response = client.get(f"/laboratory/orders/{order_a.pk}/")
    assert response.status_code == 200 and order_a.number in response.text
    assert f"/laboratory/orders/{order_a.pk}/collect/" not in response.text


def test_a_doctor_sees_results_only_once_approved(
    hospital_a: Hospital, technician_a: User, second_technician_a: User, order_a: LabOrder
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    resulted(hospital_a, order_a, technician_a, HGB="18.4")
    waiting = client.get(f"/laboratory/orders/{order_a.pk}/")
    assert "awaiting approval" in waiting.text and "18.4" not in waiting.text
    with tenant_context(hospital_a):
        lab_order_approve(order=order_a, user=second_technician_a)
    released = client.get(f"/laboratory/orders/{order_a.pk}/")
    assert "18.4" in released.text and "H · high" in released.text


def test_collecting_the_sample_records_who_and_when(
    hospital_a: Hospital, technician: Client, technician_a: User, order_a: LabOrder
) -> None:
    response = technician.post(f"/laboratory/orders/{order_a.pk}/collect/")
    assert response.status_code == 302
    order = reload(hospital_a, order_a)
    assert order.status == OrderStatus.COLLECTED and order.collected_by_id == technician_a.pk
    again = technician.post(f"/laboratory/orders/{order_a.pk}/collect/", HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and is_fragment(again)
    assert 'id="action-error"' in again.text and "cannot become" in again.text


def test_results_are_saved_with_a_high_flag_shown_as_text(
    hospital_a: Hospital, technician: Client, technician_a: User, order_a: LabOrder
) -> None:
    collected(hospital_a, order_a, technician_a)
    response = technician.post(
        f"/laboratory/orders/{order_a.pk}/results/",
        {**fields_of(hospital_a, order_a, HGB="18.4", WBC="6.0"), "action": "save"},
    )
    assert response.status_code == 302
    page = technician.get(f"/laboratory/orders/{order_a.pk}/")
    assert "H · high" in page.text and "13.5–17.5" in page.text
    assert reload(hospital_a, order_a).status == OrderStatus.COLLECTED


def test_an_implausible_result_is_refused_next_to_its_field(
    hospital_a: Hospital, technician: Client, technician_a: User, order_a: LabOrder
) -> None:
    collected(hospital_a, order_a, technician_a)
    typed = fields_of(hospital_a, order_a, HGB="184", WBC="6.0")
    response = technician.post(
        f"/laboratory/orders/{order_a.pk}/results/",
        {**typed, "action": "save"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and is_fragment(response)
    hgb_field = next(name for name, value in typed.items() if value == "184")
    assert f'id="id_{hgb_field}_error"' in response.text
    assert "highest plausible value" in response.text
    assert 'value="184"' in response.text  # what was typed stays in the field
    with tenant_context(hospital_a):
        assert not order_a.results.exclude(value="").exists()


def test_results_of_an_order_without_a_sample_are_refused_with_the_reason(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    response = technician.post(
        f"/laboratory/orders/{order_a.pk}/results/",
        {**fields_of(hospital_a, order_a, HGB="14"), "action": "save"},
    )
    assert response.status_code == 200 and 'id="action-error"' in response.text
    assert "once the sample is collected" in response.text
    with tenant_context(hospital_a):
        assert not order_a.results.exclude(value="").exists()


def test_submitting_hands_the_results_in_for_approval(
    hospital_a: Hospital, technician: Client, technician_a: User, order_a: LabOrder
) -> None:
    collected(hospital_a, order_a, technician_a)
    response = technician.post(
        f"/laboratory/orders/{order_a.pk}/results/",
        {**fields_of(hospital_a, order_a, **NORMAL_CBC), "action": "submit"},
    )
    assert response.status_code == 302
    order = reload(hospital_a, order_a)
    assert order.status == OrderStatus.RESULTED and order.resulted_by_id == technician_a.pk


def test_whoever_entered_the_results_is_told_a_second_person_approves(
    hospital_a: Hospital,
    technician: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    resulted(hospital_a, order_a, technician_a)
    refused = technician.post(f"/laboratory/orders/{order_a.pk}/approve/")
    assert refused.status_code == 200 and "second person" in refused.text
    assert reload(hospital_a, order_a).status == OrderStatus.RESULTED
    second = hospital_client(hospital_a, second_technician_a)
    response = second.post(f"/laboratory/orders/{order_a.pk}/approve/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == f"/laboratory/orders/{order_a.pk}/"
    assert reload(hospital_a, order_a).approved_by_id == second_technician_a.pk


def test_cancelling_needs_a_reason_next_to_the_field(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    response = technician.post(
        f"/laboratory/orders/{order_a.pk}/cancel/", {"reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="id_reason_error"' in response.text
    assert reload(hospital_a, order_a).status == OrderStatus.ORDERED
    done = technician.post(f"/laboratory/orders/{order_a.pk}/cancel/", {"reason": "Left"})
    assert done.status_code == 302
    assert reload(hospital_a, order_a).status == OrderStatus.CANCELLED


def test_an_approved_order_cannot_be_cancelled(
    hospital_a: Hospital,
    technician: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    response = technician.post(f"/laboratory/orders/{order_a.pk}/cancel/", {"reason": "Oops"})
    assert response.status_code == 200 and "cannot become" in response.text
    assert reload(hospital_a, order_a).status == OrderStatus.APPROVED
