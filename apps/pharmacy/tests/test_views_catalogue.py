from __future__ import annotations

import re

from django.test import Client

from apps.pharmacy.models import Medicine, Supplier
from apps.pharmacy.tests.conftest import HTMX, Stocked
from apps.pharmacy.tests.factories import make_medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def errors_in(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="id_([\w-]+)_error">([^<]+)<', html))


MEDICINE = {
    "generic_name": "Amoxicillin",
    "brand_name": "Amoxil",
    "form": "capsule",
    "strength": "250 mg",
    "unit": "capsule",
    "reorder_level": "30",
    "sale_price": "0.35",
    "is_active": "on",
}


def test_adding_a_medicine_opens_its_page(hospital_a: Hospital, pharmacist_a: Client) -> None:
    response = pharmacist_a.post("/pharmacy/medicines/new/", MEDICINE)
    with tenant_context(hospital_a):
        medicine = Medicine.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pharmacy/medicines/{medicine.pk}/"
    assert medicine.reorder_level == 30 and str(medicine.sale_price) == "0.35"
    page = pharmacist_a.get(response["Location"])
    assert "Added Amoxicillin 250 mg (Amoxil)." in page.text


def test_adding_through_htmx_redirects_the_browser(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    response = pharmacist_a.post("/pharmacy/medicines/new/", MEDICINE, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith(
        "/pharmacy/medicines/"
    )


def test_a_wrong_medicine_is_refused_next_to_its_fields(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    data = {**MEDICINE, "generic_name": "", "sale_price": "-1", "form": "potion"}
    response = pharmacist_a.post("/pharmacy/medicines/new/", data, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert set(errors_in(response.text)) == {"generic_name", "sale_price", "form"}
    assert 'value="Amoxil"' in response.text
    with tenant_context(hospital_a):
        assert not Medicine.objects.exists()


def test_the_same_medicine_twice_is_refused_next_to_the_name(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    pharmacist_a.post("/pharmacy/medicines/new/", MEDICINE)
    response = pharmacist_a.post(
        "/pharmacy/medicines/new/", {**MEDICINE, "generic_name": "amoxicillin"}
    )
    assert "already in the catalogue" in errors_in(response.text)["generic_name"]


def test_editing_a_medicine_keeps_its_stock(stocked: Stocked, pharmacist_a: Client) -> None:
    path = f"/pharmacy/medicines/{stocked.medicine.pk}/edit/"
    assert 'value="Paracetamol"' in pharmacist_a.get(path).text
    data = {**MEDICINE, "generic_name": "Paracetamol", "sale_price": "0.60"}
    response = pharmacist_a.post(path, data)
    assert response.status_code == 302
    page = pharmacist_a.get(f"/pharmacy/medicines/{stocked.medicine.pk}/")
    assert "0.60" in page.text and 'data-testid="on-hand">90<' in page.text


def test_the_medicine_page_shows_its_batches_and_ledger(
    stocked: Stocked, pharmacist_a: Client
) -> None:
    page = pharmacist_a.get(f"/pharmacy/medicines/{stocked.medicine.pk}/").text
    assert "PCM-001" in page and stocked.receipt.number in page
    ledger = page[page.index('id="ledger"') :]
    assert stocked.receipt.number in ledger and stocked.sale.number in ledger
    assert "+100" in ledger and "-10" in ledger


def test_the_medicine_list_filters_as_you_type(hospital_a: Hospital, pharmacist_a: Client) -> None:
    make_medicine(hospital_a)
    make_medicine(hospital_a, generic_name="Ibuprofen", brand_name="Nurofen")
    response = pharmacist_a.get("/pharmacy/", {"q": "nuro"}, **HTMX)
    assert "Ibuprofen" in response.text and "Paracetamol" not in response.text
    assert "No medicine matches “zzz”" in pharmacist_a.get("/pharmacy/", {"q": "zzz"}).text


def test_suppliers_are_added_and_edited(hospital_a: Hospital, pharmacist_a: Client) -> None:
    response = pharmacist_a.post(
        "/pharmacy/suppliers/new/", {"name": "Baku Med", "is_active": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/pharmacy/suppliers/"
    with tenant_context(hospital_a):
        supplier = Supplier.objects.get()
    assert "Baku Med" in pharmacist_a.get("/pharmacy/suppliers/").text
    bad = pharmacist_a.post(
        f"/pharmacy/suppliers/{supplier.pk}/edit/", {"name": "", "email": "nope"}
    )
    assert set(errors_in(bad.text)) == {"name", "email"}
    pharmacist_a.post(f"/pharmacy/suppliers/{supplier.pk}/edit/", {"name": "Baku Med LLC"})
    with tenant_context(hospital_a):
        supplier.refresh_from_db()
    assert supplier.name == "Baku Med LLC" and supplier.is_active is False
