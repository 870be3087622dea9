"""Billing views: access."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.billing.models import Invoice, InvoiceStatus, Payment, Service
from apps.billing.services import payment_record, service_create
from apps.billing.tests.conftest import FakeSource, fresh, issued
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.RECEPTIONIST, Role.HOSPITAL_ADMIN])
def test_accountants_the_front_desk_and_administrators_use_billing(
    hospital_a: Hospital, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/billing/").status_code == 200
    assert "/billing/" in client.get("/").text


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE, Role.PHARMACIST, Role.PATIENT])
def test_other_roles_may_not_use_billing(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/billing/").status_code == 403
    assert client.get("/billing/services/").status_code == 403


def test_a_hospital_without_the_billing_module_answers_404(
    hospital_a: Hospital, client_a: Client
) -> None:
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "billing"]
    hospital_a.save()
    assert client_a.get("/billing/").status_code == 404


PageUrl = Callable[[Invoice, Patient, Payment, Service], str]

GET_PAGES: list[PageUrl] = [
    lambda i, p, pay, s: "/billing/",
    lambda i, p, pay, s: "/billing/new/?q=Aliyev",
    lambda i, p, pay, s: f"/billing/patients/{p.pk}/invoice/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/",
    lambda i, p, pay, s: f"/billing/receipts/{pay.pk}/",
    lambda i, p, pay, s: "/billing/services/",
    lambda i, p, pay, s: f"/billing/services/{s.pk}/edit/",
    lambda i, p, pay, s: "/billing/collections/",
]
POST_ONLY: list[PageUrl] = [
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/services/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/lines/1/remove/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/discount/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/issue/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/payments/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/cancel/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/credit/",
    lambda i, p, pay, s: f"/billing/invoices/{i.pk}/write-off/",
]


@pytest.fixture
def objects_a(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> tuple[Invoice, Patient, Payment, Service]:
    invoice = issued(hospital_a, work, patient, "100.00")
    with tenant_context(hospital_a):
        payment = payment_record(
            hospital=hospital_a, invoice=invoice, method="cash", amount=Decimal("10")
        )
        service = service_create(code="ECG", name="ECG", price=Decimal("25"))
    return invoice, patient, payment, service


@pytest.mark.parametrize("url", GET_PAGES + POST_ONLY)
def test_another_hospitals_user_is_refused_on_every_page(
    hospital_a: Hospital, admin_b: User, objects_a: tuple, url: PageUrl
) -> None:
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.get(url(*objects_a)).status_code == 403
    assert outsider.post(url(*objects_a)).status_code == 403


@pytest.mark.parametrize("url", [*GET_PAGES[2:5], GET_PAGES[6], *POST_ONLY])
def test_an_object_of_hospital_a_is_not_found_on_hospital_bs_host(
    client_b: Client, objects_a: tuple, url: PageUrl
) -> None:
    path = url(*objects_a)
    response = client_b.post(path) if url in POST_ONLY else client_b.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("url", POST_ONLY)
def test_actions_answer_only_post(client_a: Client, objects_a: tuple, url: PageUrl) -> None:
    assert client_a.get(url(*objects_a)).status_code == 405


@pytest.mark.parametrize("url", [GET_PAGES[0], GET_PAGES[3], GET_PAGES[4], GET_PAGES[7]])
def test_pages_refuse_post(client_a: Client, objects_a: tuple, url: PageUrl) -> None:
    assert client_a.post(url(*objects_a)).status_code == 405


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", GET_PAGES[6]),
        ("post", GET_PAGES[6]),
        ("get", GET_PAGES[7]),
        ("post", lambda i, p, pay, s: f"/billing/invoices/{i.pk}/credit/"),
        ("post", lambda i, p, pay, s: f"/billing/invoices/{i.pk}/write-off/"),
    ],
)
def test_the_front_desk_may_not_run_the_books(
    hospital_a: Hospital, receptionist_a: Client, objects_a: tuple, method: str, url: PageUrl
) -> None:
    data = {"credit-reason": "x", "write_off-amount": "5", "write_off-reason": "x"}
    response = getattr(receptionist_a, method)(url(*objects_a), data)
    assert response.status_code == 403
    assert fresh(hospital_a, objects_a[0]).status == InvoiceStatus.PARTLY_PAID
