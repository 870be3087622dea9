"""Laboratory views: index, worklist, my orders."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_doctor
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import (
    approved,
    collected,
    is_fragment,
    linked_doctor,
    patient_of,
    place,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_module_opens_on_the_worklist_for_the_lab_and_my_orders_for_doctors(
    hospital_a: Hospital, technician: Client
) -> None:
    assert technician.get("/laboratory/")["Location"] == "/laboratory/worklist/"
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert doctor.get("/laboratory/")["Location"] == "/laboratory/my-orders/"


def test_the_worklist_shows_pending_orders_urgent_first(
    hospital_a: Hospital, technician: Client, technician_a: User
) -> None:
    routine = place(hospital_a, patient_of(hospital_a))
    urgent = place(hospital_a, patient_of(hospital_a), priority="urgent")
    done = place(hospital_a, patient_of(hospital_a))
    with tenant_context(hospital_a):
        from apps.laboratory.services import lab_order_cancel

        lab_order_cancel(order=done, user=technician_a, reason="Duplicate")
    response = technician.get("/laboratory/worklist/")
    assert response.status_code == 200 and not is_fragment(response)
    text = response.text
    assert text.index(urgent.number) < text.index(routine.number)
    assert done.number not in text and "Urgent" in text


def test_filtering_the_worklist_returns_the_fragment(
    hospital_a: Hospital, technician: Client, technician_a: User
) -> None:
    waiting = place(hospital_a, patient_of(hospital_a))
    taken = collected(hospital_a, place(hospital_a, patient_of(hospital_a)), technician_a)
    response = technician.get(
        "/laboratory/worklist/", {"status": "collected"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="lab-worklist"' in response.text
    assert taken.number in response.text and waiting.number not in response.text


def test_a_doctor_sees_their_own_orders_with_out_of_range_counts(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    user = make_user(hospital_a, Role.DOCTOR)
    doctor = linked_doctor(hospital_a, user)
    mine = place(hospital_a, patient_of(hospital_a), ordering_doctor=doctor)
    theirs = place(hospital_a, patient_of(hospital_a), ordering_doctor=make_doctor(hospital_a))
    approved(hospital_a, mine, technician_a, second_technician_a)
    client = hospital_client(hospital_a, user)
    response = client.get("/laboratory/my-orders/")
    assert mine.number in response.text and theirs.number not in response.text
    assert "1 out of range" in response.text and "Approved" in response.text
    fragment = client.get("/laboratory/my-orders/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-my-orders"' in fragment.text


def test_a_doctor_login_without_a_doctor_record_is_told_why_the_list_is_empty(
    hospital_a: Hospital,
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert "not linked to a doctor record" in client.get("/laboratory/my-orders/").text


def test_the_worklist_costs_the_same_queries_for_three_orders_or_thirty(
    hospital_a: Hospital, technician: Client
) -> None:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from apps.tenancy.connections import hospital_alias

    def queries() -> int:
        with CaptureQueriesContext(connections[hospital_alias(hospital_a)]) as captured:
            assert technician.get("/laboratory/worklist/").status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        place(hospital_a, patient_of(hospital_a))
    few = queries()
    for _ in range(27):
        place(hospital_a, patient_of(hospital_a), priority="urgent")
    assert queries() == few


def test_the_worklist_benchmark_measures_the_page(hospital_a: Hospital) -> None:
    from apps.laboratory.benchmarks import worklist_median_seconds, worklist_orders_ensure

    worklist_orders_ensure(hospital=hospital_a, patient=patient_of(hospital_a), count=3)
    with tenant_context(hospital_a):
        assert LabOrder.objects.count() == 3
    assert 0 < worklist_median_seconds(hospital=hospital_a, runs=2) < 5
