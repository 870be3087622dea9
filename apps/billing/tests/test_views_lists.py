"""Billing views: lists."""

from __future__ import annotations

from django.test import Client

from apps.billing.tests.conftest import HTMX, FakeSource, draft, is_fragment, issued
from apps.patients.models import Patient
from apps.tenancy.models import Hospital


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
