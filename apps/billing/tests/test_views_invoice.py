"""Billing views: the invoice page."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.billing.models import InvoiceStatus
from apps.billing.services import payment_record, service_create
from apps.billing.tests.conftest import HTMX, FakeSource, draft, fresh, is_fragment, issued
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


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
