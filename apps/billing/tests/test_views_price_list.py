"""Billing views: price list."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.appointments.tests.factories import make_doctor
from apps.billing.models import Service
from apps.billing.tests.conftest import HTMX, is_fragment
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


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
