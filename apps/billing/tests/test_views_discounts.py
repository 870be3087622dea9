"""Billing views: money authority (issue 20, point 4)."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.accounts.models import User
from apps.billing.models import Invoice, InvoiceStatus
from apps.billing.tests.conftest import HTMX, FakeSource, draft, fresh
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


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
