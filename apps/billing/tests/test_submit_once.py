"""Making an invoice, issuing it, a payment and a credit note are submitted once: a
double click, two tabs or Back and the same button again show the first one's outcome,
never a second payment or a second invoice for the same work."""

from __future__ import annotations

from apps.accounts.models import Role
from apps.billing.models import CreditNote, Invoice, InvoiceStatus, Payment
from apps.billing.services import item_key
from apps.billing.tests.conftest import HTMX, FakeSource, draft, fresh, issued
from apps.core.tests.submitting import landed, platform_events_kept_out, post_at_once, racing
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

__all__ = ["platform_events_kept_out"]  # a fixture, used by name


@racing
def test_a_double_click_on_take_payment_takes_it_once(
    hospital_a: Hospital, work: FakeSource
) -> None:
    invoice = issued(hospital_a, work, register(hospital_a), "100.00")
    cashier = make_user(hospital_a, Role.RECEPTIONIST)
    url = f"/billing/invoices/{invoice.pk}/payments/"
    data = {"payment-method": "cash", "payment-amount": "60.00"}
    first, second = post_at_once(hospital_a, cashier, url, data)
    with tenant_context(hospital_a):
        assert Payment.objects.filter(invoice=invoice).count() == 1
    assert landed(first) == landed(second) == f"/billing/invoices/{invoice.pk}/"


@racing
def test_a_double_click_on_make_invoice_makes_one(hospital_a: Hospital, work: FakeSource) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        key = item_key(work.add(patient, "Consultation", "40.00"))
    cashier = make_user(hospital_a, Role.RECEPTIONIST)
    data = {"items": [key], "quantity": "1"}
    first, second = post_at_once(
        hospital_a, cashier, f"/billing/patients/{patient.pk}/invoice/", data
    )
    with tenant_context(hospital_a):
        invoice = Invoice.objects.get()
    assert landed(first) == landed(second) == f"/billing/invoices/{invoice.pk}/"


@racing
def test_a_double_click_on_issue_issues_once(hospital_a: Hospital, work: FakeSource) -> None:
    invoice = draft(hospital_a, work, register(hospital_a))
    cashier = make_user(hospital_a, Role.RECEPTIONIST)
    answers = post_at_once(hospital_a, cashier, f"/billing/invoices/{invoice.pk}/issue/", {})
    assert fresh(hospital_a, invoice).status == InvoiceStatus.ISSUED
    assert all(answer.status_code == 302 for answer in answers)


@racing
def test_a_double_click_on_credit_note_issues_one(hospital_a: Hospital, work: FakeSource) -> None:
    invoice = issued(hospital_a, work, register(hospital_a))
    accountant = make_user(hospital_a, Role.ACCOUNTANT)
    url = f"/billing/invoices/{invoice.pk}/credit/"
    post_at_once(hospital_a, accountant, url, {"credit-reason": "Visit never happened"}, **HTMX)
    with tenant_context(hospital_a):
        assert CreditNote.objects.filter(invoice=invoice).count() == 1


def test_a_payment_sent_again_by_htmx_reloads_the_invoice_instead_of_paying_twice(
    hospital_a: Hospital, work: FakeSource
) -> None:
    invoice = issued(hospital_a, work, register(hospital_a), "100.00")
    client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    url = f"/billing/invoices/{invoice.pk}/payments/"
    data = {"payment-method": "cash", "payment-amount": "60.00"}
    first = client.post(url, data, **HTMX)
    again = client.post(url, data, **HTMX)
    assert "Partly paid" in first.text and again["HX-Refresh"] == "true"
    with tenant_context(hospital_a):
        assert Payment.objects.filter(invoice=invoice).count() == 1
