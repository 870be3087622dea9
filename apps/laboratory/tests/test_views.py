from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.core.exceptions import ValidationError
from apps.doctors.models import Doctor
from apps.laboratory.models import LabOrder, LabPanel, LabSettings, LabTest, OrderStatus
from apps.laboratory.services import (
    lab_order_approve,
    lab_order_collect,
    lab_results_submit,
    result_field,
)
from apps.laboratory.tests.conftest import patient_of, place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

NORMAL_CBC = {"HGB": "14.2", "HCT": "44", "RBC": "5.0", "WBC": "6.1", "PLT": "250", "MCV": "90"}


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def fields_of(hospital: Hospital, order: LabOrder, **by_code: str) -> dict[str, str]:
    with tenant_context(hospital):
        results = {r.test.code: r for r in order.results.select_related("test")}
    return {result_field(results[code]): value for code, value in by_code.items()}


def reload(hospital: Hospital, order: LabOrder) -> LabOrder:
    with tenant_context(hospital):
        return LabOrder.objects.get(pk=order.pk)


def item(hospital: Hospital, code: str) -> str:
    with tenant_context(hospital):
        panel = LabPanel.objects.filter(code=code).first()
        if panel is not None:
            return f"panel:{panel.pk}"
        return f"test:{LabTest.objects.get(code=code).pk}"


def linked_doctor(hospital: Hospital, user: User, name: str = "Dr Rəşad Quliyev") -> Doctor:
    doctor = make_doctor(hospital, name=name)
    with tenant_context(hospital):
        doctor.user_id = user.pk
        doctor.save(update_fields=["user_id"])
    return doctor


@pytest.fixture
def technician(hospital_a: Hospital, technician_a: User) -> Client:
    return hospital_client(hospital_a, technician_a)


@pytest.fixture
def order_a(hospital_a: Hospital) -> LabOrder:
    return place(hospital_a, patient_of(hospital_a, sex="male"))


def collected(hospital: Hospital, order: LabOrder, user: User) -> LabOrder:
    with tenant_context(hospital):
        return lab_order_collect(order=order, user=user)


def resulted(hospital: Hospital, order: LabOrder, user: User, **changes: str) -> LabOrder:
    collected(hospital, order, user)
    with tenant_context(hospital):
        return lab_results_submit(
            order=order, values=fields_of(hospital, order, **{**NORMAL_CBC, **changes}), user=user
        )


def approved(hospital: Hospital, order: LabOrder, user: User, approver: User) -> LabOrder:
    resulted(hospital, order, user, HGB="18.4")
    with tenant_context(hospital):
        return lab_order_approve(order=order, user=approver)


# -- every page: method, role, another hospital --------------------------------------------


def haemoglobin() -> LabTest:
    return LabTest.objects.get(code="HGB")


Url = Callable[[LabOrder], str]
PAGES: list[tuple[str, str, Url]] = [
    ("GET", "index", lambda o: "/laboratory/"),
    ("GET", "worklist", lambda o: "/laboratory/worklist/"),
    ("GET", "my orders", lambda o: "/laboratory/my-orders/"),
    ("GET", "catalogue", lambda o: "/laboratory/catalogue/"),
    ("GET", "settings", lambda o: "/laboratory/settings/"),
    ("GET", "catalogue item", lambda o: f"/laboratory/catalogue/test/{haemoglobin().pk}/"),
    ("GET", "new order", lambda o: "/laboratory/orders/new/"),
    ("GET", "detail", lambda o: f"/laboratory/orders/{o.pk}/"),
    ("POST", "collect", lambda o: f"/laboratory/orders/{o.pk}/collect/"),
    ("POST", "results", lambda o: f"/laboratory/orders/{o.pk}/results/"),
    ("POST", "approve", lambda o: f"/laboratory/orders/{o.pk}/approve/"),
    ("POST", "cancel", lambda o: f"/laboratory/orders/{o.pk}/cancel/"),
    (
        "GET",
        "amend",
        lambda o: f"/laboratory/orders/{o.pk}/results/{o.results.get(test__code='HGB').pk}/amend/",
    ),
    ("GET", "report", lambda o: f"/laboratory/orders/{o.pk}/report/"),
]
WRONG_METHOD = {"GET": "put", "POST": "get"}


def url_of(hospital: Hospital, order: LabOrder, url: Url) -> str:
    with tenant_context(hospital):
        return url(order)


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_a_member_of_another_hospital(
    hospital_a: Hospital, admin_b: User, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    client = hospital_client(hospital_a, admin_b)
    response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_roles_outside_the_lab(
    hospital_a: Hospital, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    for role in (Role.RECEPTIONIST, Role.PHARMACIST, Role.NURSE):
        client = hospital_client(hospital_a, make_user(hospital_a, role))
        response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
        assert response.status_code == 403, role


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_answers_405_to_the_wrong_method(
    client_a: Client, hospital_a: Hospital, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    response = getattr(client_a, WRONG_METHOD[method])(url_of(hospital_a, order_a, url))
    assert response.status_code == 405


#: pages of one order: another hospital's order id is not found on them. (Catalogue rows
#: are seeded alike in every hospital, so a test id names that hospital's own row.)
ORDER_PAGE_NAMES = {"detail", "collect", "results", "approve", "cancel", "amend", "report"}
ORDER_URLS = [page for page in PAGES if page[1] in ORDER_PAGE_NAMES]


@pytest.mark.parametrize(("method", "name", "url"), ORDER_URLS, ids=[p[1] for p in ORDER_URLS])
def test_an_order_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    response = getattr(client_b, method.lower())(url_of(hospital_a, order_a, url))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DOCTOR, {"index", "my orders", "catalogue", "new order", "detail", "report"}),
        (
            Role.LAB_TECHNICIAN,
            {"index", "worklist", "catalogue", "new order", "detail", "collect", "results"}
            | {"approve", "cancel", "amend", "report"},
        ),
    ],
)
def test_doctors_order_and_read_lab_technicians_run_the_lab(
    hospital_a: Hospital, order_a: LabOrder, role: str, allowed: set[str]
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    refused = set()
    for method, name, url in PAGES:
        response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
        if response.status_code == 403:
            refused.add(name)
    if role == Role.DOCTOR:
        allowed = allowed | {"cancel"}  # a doctor may withdraw an order of theirs
    assert refused == {name for _m, name, _u in PAGES} - allowed


# -- index, worklist, my orders --------------------------------------------------------------


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


# -- ordering --------------------------------------------------------------------------------


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


# -- the order page and its steps ---------------------------------------------------------------


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


# -- amendments ------------------------------------------------------------------------------------


def test_an_approved_result_is_amended_with_a_reason_and_the_original_shown(
    hospital_a: Hospital,
    technician: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    with tenant_context(hospital_a):
        hgb = order_a.results.get(test__code="HGB")
    url = f"/laboratory/orders/{order_a.pk}/results/{hgb.pk}/amend/"
    page = technician.get(url)
    assert page.status_code == 200 and "18.4" in page.text
    fragment = technician.get(url, HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-amend"' in fragment.text
    missing = technician.post(url, {"value": "16.2", "reason": ""})
    assert 'id="id_reason_error"' in missing.text
    implausible = technician.post(url, {"value": "99", "reason": "Re-run"})
    assert 'id="id_value_error"' in implausible.text
    assert (
        technician.post(url, {"value": "16.2", "reason": "Haemolysed, re-run"}).status_code == 302
    )
    detail = technician.get(f"/laboratory/orders/{order_a.pk}/")
    assert "16.2" in detail.text and "(was 18.4): Haemolysed, re-run" in detail.text


def test_a_result_of_another_order_is_not_found_through_this_one(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    other = place(hospital_a, patient_of(hospital_a))
    with tenant_context(hospital_a):
        result = other.results.first()
    assert result is not None
    url = f"/laboratory/orders/{order_a.pk}/results/{result.pk}/amend/"
    assert technician.get(url).status_code == 404


# -- the report --------------------------------------------------------------------------------


def test_the_report_shows_the_hospital_ranges_flags_and_who_approved(
    hospital_a: Hospital, technician_a: User, second_technician_a: User, order_a: LabOrder
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    response = client.get(f"/laboratory/orders/{order_a.pk}/report/")
    assert response.status_code == 200
    text = response.text
    assert hospital_a.name in text and order_a.number in text
    assert "13.5–17.5" in text and "H · high" in text and "g/dL" in text
    assert "Kamran Lab" in text and "Aynur Lab" in text
    # A4 and no navigation come from the shared print stylesheet; the report's own rules
    assert "laboratory/report.css" in text and 'class="print-header' in text
    fragment = client.get(f"/laboratory/orders/{order_a.pk}/report/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-report"' in fragment.text


def test_there_is_no_report_before_approval(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    response = technician.get(f"/laboratory/orders/{order_a.pk}/report/")
    assert response.status_code == 409 and "once the results are approved" in response.text


# -- catalogue and settings --------------------------------------------------------------------


def test_the_catalogue_lists_tests_with_their_ranges_by_sex_and_age(
    technician: Client,
) -> None:
    response = technician.get("/laboratory/catalogue/")
    assert response.status_code == 200
    assert "Complete blood count" in response.text and "Creatinine" in response.text
    assert "62–106" in response.text and "18 years and over" in response.text
    fragment = technician.get("/laboratory/catalogue/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-catalogue"' in fragment.text


def test_an_administrator_turns_the_second_person_rule_off(
    hospital_a: Hospital, client_a: Client, technician_a: User
) -> None:
    page = client_a.get("/laboratory/settings/")
    assert page.status_code == 200 and "checked" in page.text
    with tenant_context(hospital_a):
        assert not LabSettings.objects.exists()  # the defaults are read, never written
    response = client_a.post("/laboratory/settings/", {}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == "/laboratory/settings/"
    fragment = client_a.get("/laboratory/settings/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and "checked" not in fragment.text
    order = resulted(hospital_a, place(hospital_a, patient_of(hospital_a)), technician_a)
    assert order.status == OrderStatus.APPROVED


# -- history and dashboard ------------------------------------------------------------------------


def test_the_patients_history_shows_the_lab_result(
    hospital_a: Hospital,
    client_a: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    response = client_a.get(f"/patients/{order_a.patient_id}/")
    assert "Lab result" in response.text and order_a.number in response.text
    assert "1 result out of range" in response.text
    assert f"/laboratory/orders/{order_a.pk}/" in response.text


def test_the_lab_technicians_tile_counts_pending_and_urgent_orders(
    hospital_a: Hospital, technician_a: User
) -> None:
    from django.urls import set_urlconf
    from django.utils import timezone

    from apps.laboratory.dashboard import tiles

    place(hospital_a, patient_of(hospital_a))
    place(hospital_a, patient_of(hospital_a), priority="urgent")
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    set_urlconf("hms.urls_hospital")
    try:
        with tenant_context(hospital_a):
            today = timezone.localdate()
            (tile,) = tiles(hospital=hospital_a, user=technician_a, today=today)
            assert tiles(hospital=hospital_a, user=receptionist, today=today) == []
    finally:
        set_urlconf(None)
    figures = {figure.label: figure.value for figure in tile.figures}
    assert figures == {"Pending": "2", "Urgent": "1", "Awaiting approval": "0"}
    assert tile.url == "/laboratory/worklist/"


def test_an_administrator_sets_the_hospitals_price_and_withdraws_a_test(
    hospital_a: Hospital, client_a: Client
) -> None:
    with tenant_context(hospital_a):
        test = haemoglobin()
    url = f"/laboratory/catalogue/test/{test.pk}/"
    page = client_a.get(url)
    assert page.status_code == 200 and "Haemoglobin" in page.text and 'value="4.00"' in page.text
    assert f'href="{url}"' in client_a.get("/laboratory/catalogue/").text
    negative = client_a.post(url, {"price": "-1", "is_active": "on"}, HTTP_HX_REQUEST="true")
    assert is_fragment(negative) and 'id="id_price_error"' in negative.text
    saved = client_a.post(url, {"price": "5.50"}, HTTP_HX_REQUEST="true")
    assert saved.headers["HX-Redirect"] == "/laboratory/catalogue/"
    with tenant_context(hospital_a):
        test.refresh_from_db()
    assert test.price == Decimal("5.50") and test.is_active is False
    with pytest.raises(ValidationError, match="not offered"):
        place(hospital_a, patient_of(hospital_a), panels=(), tests=("HGB",))


def test_a_catalogue_item_that_does_not_exist_is_not_found(client_a: Client) -> None:
    assert client_a.get("/laboratory/catalogue/test/99999/").status_code == 404
    assert client_a.get("/laboratory/catalogue/drug/1/").status_code == 404


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


def test_the_report_names_who_entered_amended_and_approved_each_value(
    hospital_a: Hospital, technician_a: User, second_technician_a: User, order_a: LabOrder
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    third = make_user(hospital_a, Role.LAB_TECHNICIAN, "Third Lab")
    with tenant_context(hospital_a):
        hgb = order_a.results.get(test__code="HGB")
    url = f"/laboratory/orders/{order_a.pk}/results/{hgb.pk}/amend/"
    amender = hospital_client(hospital_a, second_technician_a)
    assert amender.post(url, {"value": "16.2", "reason": "Re-run"}).status_code == 302
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    # back to awaiting approval: no report until someone other than the amender approves
    assert doctor.get(f"/laboratory/orders/{order_a.pk}/report/").status_code == 409
    refused = amender.post(f"/laboratory/orders/{order_a.pk}/approve/")
    assert "You amended these results" in refused.text
    assert reload(hospital_a, order_a).status == OrderStatus.RESULTED
    approver = hospital_client(hospital_a, third)
    approver.post(f"/laboratory/orders/{order_a.pk}/approve/")
    assert reload(hospital_a, order_a).status == OrderStatus.APPROVED
    report = doctor.get(f"/laboratory/orders/{order_a.pk}/report/").text
    assert "Results entered by" in report and "Aynur Lab" in report
    assert "by Kamran Lab (was 18.4): Re-run" in report
    assert "Approved by: Third Lab" in " ".join(report.split())
