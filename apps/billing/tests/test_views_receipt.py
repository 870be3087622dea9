"""A receipt printed later says what it said on the day: the balance after its payment."""

from __future__ import annotations

from django.test import Client

from apps.billing.tests.conftest import FakeSource, fresh, issued
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_a_receipt_states_the_balance_at_the_time_of_its_payment(
    hospital_a: Hospital, receptionist_a: Client, work: FakeSource, patient: Patient
) -> None:
    invoice = issued(hospital_a, work, patient, "100.00")
    url = f"/billing/invoices/{invoice.pk}/payments/"
    receptionist_a.post(url, {"payment-method": "cash", "payment-amount": "60.00"})
    receptionist_a.post(url, {"payment-method": "card", "payment-amount": "40.00"})
    invoice = fresh(hospital_a, invoice)
    with tenant_context(hospital_a):
        first = invoice.payments.get(method="cash")
    receipt = receptionist_a.get(f"/billing/receipts/{first.pk}/").text
    # paid in full since, yet the first receipt still says what was left after it
    assert "after this payment: 40.00\xa0AZN" in receipt
    assert "print-header" in receipt  # the hospital's header on paper
