"""Billing views: making a draft."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from apps.billing.models import Invoice
from apps.billing.services import invoice_create, item_key
from apps.billing.tests.conftest import HTMX, FakeSource, draft, is_fragment
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


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
    # a sentence a cashier understands, not the choice's code
    assert "no longer chargeable; reload the list" in stale.text
    assert "Select a valid choice" not in stale.text
    with tenant_context(hospital_a):
        assert Invoice.objects.count() == 2


def test_the_picker_of_another_hospitals_patient_is_not_found(
    client_b: Client, patient: Patient
) -> None:
    assert client_b.get(f"/billing/patients/{patient.pk}/invoice/").status_code == 404
