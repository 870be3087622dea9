from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_doctor
from apps.billing.models import Invoice, InvoiceStatus, Payment, Service
from apps.billing.services import (
    invoice_create,
    invoice_issue,
    item_key,
    payment_record,
    service_create,
)
from apps.billing.tests.conftest import FakeSource
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def patient(hospital_a: Hospital) -> Patient:
    return register(hospital_a)


@pytest.fixture
def accountant(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.ACCOUNTANT, "Aysel Quliyeva")


@pytest.fixture
def accountant_a(hospital_a: Hospital, accountant: User) -> Client:
    return hospital_client(hospital_a, accountant)


@pytest.fixture
def receptionist_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


def draft(hospital: Hospital, work: FakeSource, patient: Patient, *prices: str) -> Invoice:
    with tenant_context(hospital):
        items = [work.add(patient, f"Visit {n}", p) for n, p in enumerate(prices or ["40.00"])]
        return invoice_create(patient=patient, item_keys=[item_key(i) for i in items])


def issued(hospital: Hospital, work: FakeSource, patient: Patient, *prices: str) -> Invoice:
    invoice = draft(hospital, work, patient, *prices)
    with tenant_context(hospital):
        return invoice_issue(hospital=hospital, invoice=invoice)


def fresh(hospital: Hospital, invoice: Invoice) -> Invoice:
    with tenant_context(hospital):
        return Invoice.objects.get(pk=invoice.pk)


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


# -- access ---------------------------------------------------------------------------------


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


# -- lists ----------------------------------------------------------------------------------


def test_the_unpaid_list_shows_what_is_owed_and_htmx_gets_the_results_only(
    hospital_a: Hospital, accountant_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient, "100.00", "23.45")
    number = str(invoice.number)
    draft(hospital_a, work, patient)
    page = accountant_a.get("/billing/")
    assert number in page.text and "123.45\xa0AZN" in page.text
    assert "Owed on unpaid invoices" in page.text
    fragment = accountant_a.get("/billing/?state=draft", **HTMX)
    assert is_fragment(fragment) and 'id="invoice-results"' in fragment.text
    assert number not in fragment.text and "Draft" in fragment.text
    assert number in accountant_a.get(f"/billing/?state=all&q={number}").text
    assert "No invoice matches" in accountant_a.get("/billing/?state=all&q=nobody").text


def test_new_invoice_finds_the_patient_to_invoice(
    hospital_a: Hospital, receptionist_a: Client, patient: Patient
) -> None:
    page = receptionist_a.get("/billing/new/?q=Nizami")
    assert f"/billing/patients/{patient.pk}/invoice/" in page.text
    fragment = receptionist_a.get("/billing/new/?q=zzz", **HTMX)
    assert is_fragment(fragment) and "No patient matches" in fragment.text


# -- making a draft -----------------------------------------------------------------------------


def test_the_picker_lists_unbilled_items_ticked_and_makes_a_draft_of_those_chosen(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, "Consultation — Dr Məmmədova", "40.00")
    lab = work.add(patient, "Blood count", "12.50")
    page = receptionist_a.get(f"/billing/patients/{patient.pk}/invoice/")
    assert "Consultation — Dr Məmmədova" in page.text and "12.50\xa0AZN" in page.text
    assert page.text.count("checked") >= 2
    response = receptionist_a.post(
        f"/billing/patients/{patient.pk}/invoice/", {"items": [item_key(visit)], "quantity": "1"}
    )
    with tenant_context(hospital_a):
        invoice = Invoice.objects.get()
        assert list(invoice.lines.values_list("reference", flat=True)) == [visit.reference]
    assert (
        response.status_code == 302 and response["Location"] == f"/billing/invoices/{invoice.pk}/"
    )
    again = receptionist_a.get(f"/billing/patients/{patient.pk}/invoice/")
    assert "Blood count" in again.text and "Dr Məmmədova" not in again.text
    htmx = receptionist_a.post(
        f"/billing/patients/{patient.pk}/invoice/", {"items": [item_key(lab)]}, **HTMX
    )
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"].startswith("/billing/invoices/")


def test_the_picker_ticks_todays_work_but_not_a_visit_of_a_later_day(
    receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    # found by the outpatient-day e2e: the follow-up booked for next week was ticked
    # with today's visit, so invoicing the visit charged the next one too
    today = work.add(patient, "Consultation today", "30.00")
    later = work.add(
        patient, "Follow-up next week", "30.00", occurred_at=timezone.now() + timedelta(days=7)
    )
    page = receptionist_a.get(f"/billing/patients/{patient.pk}/invoice/")
    boxes = dict(
        re.findall(
            r'<input type="checkbox" name="items" value="([^"]+)"[^>]*?( checked)?>', page.text
        )
    )
    assert boxes == {item_key(today): " checked", item_key(later): ""}
    assert 'id="later-note"' in page.text and "Later day" in page.text


def test_a_picker_with_nothing_chosen_or_an_item_taken_meanwhile_says_so_next_to_the_items(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, "Consultation")
    url = f"/billing/patients/{patient.pk}/invoice/"
    nothing = receptionist_a.post(url, {}, **HTMX)
    assert is_fragment(nothing) and 'id="id_items_error"' in nothing.text
    assert "Choose at least one item" in nothing.text
    draft_invoice = draft(hospital_a, work, patient)  # another cashier, a moment ago
    assert draft_invoice.pk
    with tenant_context(hospital_a):
        invoice_create(patient=patient, item_keys=[item_key(visit)])
    stale = receptionist_a.post(url, {"items": [item_key(visit)]})
    assert stale.status_code == 200 and 'id="id_items_error"' in stale.text
    with tenant_context(hospital_a):
        assert Invoice.objects.count() == 2


def test_the_picker_of_another_hospitals_patient_is_not_found(
    client_b: Client, patient: Patient
) -> None:
    assert client_b.get(f"/billing/patients/{patient.pk}/invoice/").status_code == 404


# -- the invoice page ----------------------------------------------------------------------------


def test_a_draft_takes_a_service_a_discount_and_is_issued(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00")
    with tenant_context(hospital_a):
        ecg = service_create(code="ECG", name="ECG", price=Decimal("25.00"))
    url = f"/billing/invoices/{invoice.pk}/"
    page = receptionist_a.get(url)
    assert "Draft" in page.text and "40.00\xa0AZN" in page.text and "Issue the invoice" in page.text
    fragment = receptionist_a.get(url, **HTMX)
    assert is_fragment(fragment) and fragment.text.lstrip().startswith('<article id="invoice"')
    added = receptionist_a.post(
        url + "services/", {"add_service-service": ecg.pk, "add_service-quantity": "2"}, **HTMX
    )
    assert is_fragment(added) and 'id="invoice"' in added.text and "90.00\xa0AZN" in added.text
    assert "Service added." in added.text
    discounted = receptionist_a.post(
        url + "discount/",
        {
            "discount-discount_kind": "percent",
            "discount-discount_value": "10",
            "discount-discount_reason": "Staff family",
        },
    )
    assert discounted.status_code == 302
    assert fresh(hospital_a, invoice).total == Decimal("81.00")
    receptionist_a.post(url + "issue/")
    invoice = fresh(hospital_a, invoice)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.number
    issued_page = receptionist_a.get(url)
    assert invoice.number in issued_page.text and "Staff family" in issued_page.text
    assert "Issue the invoice" not in issued_page.text and "Take a payment" in issued_page.text
    assert "billing/billing.css" in issued_page.text and "data-print" in issued_page.text


def test_bad_action_input_is_shown_next_to_its_field(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00")
    url = f"/billing/invoices/{invoice.pk}/"
    no_service = receptionist_a.post(url + "services/", {"add_service-quantity": "1"}, **HTMX)
    assert is_fragment(no_service) and 'id="id_add_service-service_error"' in no_service.text
    no_reason = receptionist_a.post(
        url + "discount/",
        {"discount-discount_kind": "amount", "discount-discount_value": "5"},
    )
    assert no_reason.status_code == 200 and "<html" in no_reason.text
    assert 'id="id_discount-discount_reason_error"' in no_reason.text
    too_much = receptionist_a.post(
        url + "discount/",
        {
            "discount-discount_kind": "amount",
            "discount-discount_value": "40.01",
            "discount-discount_reason": "x",
        },
        **HTMX,
    )
    assert 'id="id_discount-discount_value_error"' in too_much.text
    assert fresh(hospital_a, invoice).total == Decimal("40.00")


def test_a_draft_line_is_removed_and_a_draft_discarded(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00", "10.00")
    with tenant_context(hospital_a):
        line = invoice.lines.get(amount=10)
    url = f"/billing/invoices/{invoice.pk}/"
    removed = receptionist_a.post(url + f"lines/{line.pk}/remove/", **HTMX)
    assert is_fragment(removed) and "Line removed." in removed.text
    assert fresh(hospital_a, invoice).total == Decimal("40.00")
    assert receptionist_a.post(url + "cancel/", {"cancel-reason": ""}).status_code == 302
    assert fresh(hospital_a, invoice).status == InvoiceStatus.CANCELLED


def test_partial_then_full_payment_with_a_receipt_each(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient, "100.00")
    url = f"/billing/invoices/{invoice.pk}/payments/"
    first = receptionist_a.post(url, {"payment-method": "cash", "payment-amount": "60.00"}, **HTMX)
    assert is_fragment(first) and "Partly paid" in first.text and "40.00\xa0AZN" in first.text
    over = receptionist_a.post(url, {"payment-method": "card", "payment-amount": "40.01"})
    assert over.status_code == 200 and 'id="id_payment-amount_error"' in over.text
    assert "more than the balance" in over.text
    assert (
        receptionist_a.post(
            url, {"payment-method": "card", "payment-amount": "40.00", "payment-note": "slip 7781"}
        ).status_code
        == 302
    )
    invoice = fresh(hospital_a, invoice)
    assert invoice.status == InvoiceStatus.PAID
    with tenant_context(hospital_a):
        payment = invoice.payments.get(method="card")
    receipt = receptionist_a.get(f"/billing/receipts/{payment.pk}/")
    assert payment.receipt_number in receipt.text and "40.00\xa0AZN" in receipt.text
    assert "slip 7781" in receipt.text and "billing/billing.css" in receipt.text


def test_accountants_write_off_cancel_and_credit(
    hospital_a: Hospital, accountant_a: Client, work: FakeSource, patient: Patient
) -> None:
    written = issued(hospital_a, work, patient, "50.00")
    url = f"/billing/invoices/{written.pk}/"
    no_reason = accountant_a.post(url + "write-off/", {"write_off-amount": "5"}, **HTMX)
    assert 'id="id_write_off-reason_error"' in no_reason.text
    accountant_a.post(
        url + "write-off/", {"write_off-amount": "50", "write_off-reason": "Hardship"}
    )
    assert fresh(hospital_a, written).status == InvoiceStatus.PAID

    cancelled = issued(hospital_a, work, patient, "30.00")
    url = f"/billing/invoices/{cancelled.pk}/"
    no_reason = accountant_a.post(url + "cancel/", {"cancel-reason": ""}, **HTMX)
    assert 'id="id_cancel-reason_error"' in no_reason.text
    accountant_a.post(url + "cancel/", {"cancel-reason": "Wrong patient"})
    assert fresh(hospital_a, cancelled).status == InvoiceStatus.CANCELLED

    credited = issued(hospital_a, work, patient, "20.00")
    with tenant_context(hospital_a):
        payment_record(hospital=hospital_a, invoice=credited, method="cash", amount=Decimal("5"))
    url = f"/billing/invoices/{credited.pk}/"
    refused = accountant_a.post(url + "cancel/", {"cancel-reason": "Oops"}, **HTMX)
    assert is_fragment(refused) and "cannot be cancelled; issue a credit note" in refused.text
    done = accountant_a.post(url + "credit/", {"credit-reason": "Visit never happened"}, **HTMX)
    assert "Credit note" in done.text and "Refund due to the patient: 5.00\xa0AZN" in done.text
    assert fresh(hospital_a, credited).status == InvoiceStatus.CREDITED


def test_the_front_desk_may_discard_a_draft_but_not_cancel_an_issued_invoice(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient)
    page = receptionist_a.get(f"/billing/invoices/{invoice.pk}/")
    assert "Issue a credit note" not in page.text and "Write off" not in page.text
    response = receptionist_a.post(
        f"/billing/invoices/{invoice.pk}/cancel/", {"cancel-reason": "x"}
    )
    assert response.status_code == 403
    assert fresh(hospital_a, invoice).status == InvoiceStatus.ISSUED


# -- price list ----------------------------------------------------------------------------------


def test_accountants_keep_the_price_list(hospital_a: Hospital, accountant_a: Client) -> None:
    assert "No services on the price list yet" in accountant_a.get("/billing/services/").text
    added = accountant_a.post(
        "/billing/services/", {"code": "ecg", "name": "ECG", "price": "25.00", "is_active": "on"}
    )
    assert added.status_code == 302
    with tenant_context(hospital_a):
        service = Service.objects.get()
    assert service.code == "ECG"
    listing = accountant_a.get("/billing/services/")
    assert "25.00\xa0AZN" in listing.text
    assert f"/billing/services/{service.pk}/edit/" in listing.text
    taken = accountant_a.post(
        "/billing/services/", {"code": "ECG", "name": "Other", "price": "1"}, **HTMX
    )
    assert is_fragment(taken) and 'id="id_code_error"' in taken.text
    negative = accountant_a.post("/billing/services/", {"code": "X", "name": "X", "price": "-1"})
    assert 'id="id_price_error"' in negative.text
    edit_url = f"/billing/services/{service.pk}/edit/"
    assert 'value="ECG"' in accountant_a.get(edit_url).text
    accountant_a.post(edit_url, {"code": "ECG", "name": "ECG 12-lead", "price": "30"})
    with tenant_context(hospital_a):
        service.refresh_from_db()
    assert (service.name, service.price, service.is_active) == ("ECG 12-lead", Decimal("30"), False)
    bad_edit = accountant_a.post(edit_url, {"code": "", "name": "x", "price": "1"}, **HTMX)
    assert is_fragment(bad_edit) and 'id="id_code_error"' in bad_edit.text


def test_the_front_desk_reads_the_price_list_but_does_not_change_it(
    hospital_a: Hospital, receptionist_a: Client
) -> None:
    make_doctor(hospital_a, name="Dr Leyla Məmmədova", fee=Decimal("45.00"))
    page = receptionist_a.get("/billing/services/")
    assert page.status_code == 200 and "Add to the price list" not in page.text
    consultations = page.text[page.text.index('id="consultations"') :]
    assert "Dr Leyla Məmmədova" in consultations and "45.00\xa0AZN" in consultations
    response = receptionist_a.post("/billing/services/", {"code": "X", "name": "X", "price": "1"})
    assert response.status_code == 403
    with tenant_context(hospital_a):
        assert not Service.objects.exists()


# -- collections ---------------------------------------------------------------------------------


def test_collections_show_the_days_money_by_method_and_cashier(
    hospital_a: Hospital, accountant: User, accountant_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient, "100.00")
    with tenant_context(hospital_a):
        for method, amount in (("cash", "30.00"), ("card", "20.00")):
            payment_record(
                hospital=hospital_a,
                invoice=invoice,
                method=method,
                amount=Decimal(amount),
                received_by_id=accountant.pk,
            )
    page = accountant_a.get("/billing/collections/")
    assert "50.00\xa0AZN received in 2 payments" in page.text
    assert "Cash" in page.text and "Card" in page.text and "Aysel Quliyeva" in page.text
    fragment = accountant_a.get("/billing/collections/?start=2020-01-01&end=2020-01-02", **HTMX)
    assert is_fragment(fragment) and "0.00\xa0AZN received in 0 payments" in fragment.text


def test_a_backwards_or_unreadable_range_is_refused_next_to_the_date(
    accountant_a: Client,
) -> None:
    backwards = accountant_a.get("/billing/collections/?start=2026-02-10&end=2026-02-01")
    assert 'id="id_end_error"' in backwards.text and "on or after the start" in backwards.text
    too_long = accountant_a.get("/billing/collections/?start=2020-01-01&end=2026-01-01", **HTMX)
    assert 'id="id_end_error"' in too_long.text
    garbage = accountant_a.get("/billing/collections/?start=yesterday")
    assert garbage.status_code == 200 and 'id="id_start_error"' in garbage.text


def test_issued_invoices_show_in_the_patients_history(
    hospital_a: Hospital, client_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient, "40.00")
    draft(hospital_a, work, patient, "99.00")
    page = client_a.get(f"/patients/{patient.pk}/").text
    assert f'href="/billing/invoices/{invoice.pk}/"' in page and "40.00\xa0AZN · Issued" in page
    assert "99.00\xa0AZN" not in page


# -- money authority (issue 20, point 4) ------------------------------------------------


def _discount(client: Client, invoice: Invoice, kind: str, value: str, reason: str = "Hardship"):
    return client.post(
        f"/billing/invoices/{invoice.pk}/discount/",
        {
            "discount-discount_kind": kind,
            "discount-discount_value": value,
            "discount-discount_reason": reason,
        },
        **HTMX,
    )


def test_the_front_desk_gives_no_discount_above_the_hospitals_limit(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00")
    for kind, value in (("percent", "100"), ("percent", "10.01"), ("amount", "4.01")):
        refused = _discount(receptionist_a, invoice, kind, value)
        assert 'id="id_discount-discount_value_error"' in refused.text
        assert "accountant or an administrator" in refused.text
        assert fresh(hospital_a, invoice).total == Decimal("40.00")
    assert receptionist_a.post(f"/billing/invoices/{invoice.pk}/issue/").status_code == 302
    # within the limit (10 % by default) the front desk may
    other = draft(hospital_a, work, patient, "40.00")
    _discount(receptionist_a, other, "percent", "10")
    assert fresh(hospital_a, other).total == Decimal("36.00")


def test_an_accountant_gives_any_discount_and_each_keeps_who_why_and_how_much(
    hospital_a: Hospital,
    accountant_a: Client,
    accountant: User,
    receptionist_a: Client,
    work: FakeSource,
    patient: Patient,
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00")
    _discount(accountant_a, invoice, "percent", "100", reason="Charity case")
    saved = fresh(hospital_a, invoice)
    assert saved.total == Decimal("0.00") and saved.discount == Decimal("40.00")
    assert saved.discount_by_id == accountant.pk and saved.discount_at is not None
    assert saved.discount_reason == "Charity case"
    # the front desk may issue what an accountant gave
    receptionist_a.post(f"/billing/invoices/{invoice.pk}/issue/")
    assert fresh(hospital_a, invoice).status == InvoiceStatus.PAID


def test_lines_taken_off_after_a_discount_cannot_raise_it_past_the_limit(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = draft(hospital_a, work, patient, "40.00", "10.00")
    _discount(receptionist_a, invoice, "amount", "5.00")  # 10 % of 50.00
    assert fresh(hospital_a, invoice).discount == Decimal("5.00")
    with tenant_context(hospital_a):
        line = invoice.lines.get(amount=Decimal("40.00"))
    receptionist_a.post(f"/billing/invoices/{invoice.pk}/lines/{line.pk}/remove/")
    assert fresh(hospital_a, invoice).subtotal == Decimal("10.00")  # 5.00 is now 50 %
    receptionist_a.post(f"/billing/invoices/{invoice.pk}/issue/")
    assert fresh(hospital_a, invoice).status == InvoiceStatus.DRAFT


def test_the_limit_is_the_hospitals_own(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    from apps.billing.models import BillingSettings

    with tenant_context(hospital_a):
        BillingSettings.objects.create(pk=1, discount_limit_percent=Decimal("25"))
    invoice = draft(hospital_a, work, patient, "40.00")
    _discount(receptionist_a, invoice, "percent", "25")
    assert fresh(hospital_a, invoice).total == Decimal("30.00")
    refused = _discount(receptionist_a, invoice, "percent", "26")
    assert "above 25%" in refused.text
