"""Billing views: collections."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.accounts.models import User
from apps.billing.services import payment_record
from apps.billing.tests.conftest import HTMX, FakeSource, draft, is_fragment, issued
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


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
