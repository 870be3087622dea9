from __future__ import annotations

from typing import Any

from django.test import Client

from apps.patients.tests.factories import register
from apps.pharmacy.models import Sale, SaleReturn
from apps.pharmacy.selectors import medicine_on_hand
from apps.pharmacy.tests.conftest import HTMX, Stocked
from apps.pharmacy.tests.factories import (
    in_days,
    make_medicine,
    prescribe,
    prescription_items,
    receive,
)
from apps.pharmacy.tests.test_views_catalogue import errors_in
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def sale_data(*lines: tuple[Any, int], **changes: str) -> dict[str, str]:
    data = {
        "patient_number": "",
        "customer_name": "Rauf Məmmədov",
        "customer_phone": "+994 50 111 22 33",
        "discount": "0",
        "tax_rate": "0",
        "payment_method": "cash",
        "payment_reference": "",
        "lines-TOTAL_FORMS": str(max(3, len(lines))),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, (medicine, quantity) in enumerate(lines):
        data[f"lines-{index}-medicine"] = str(medicine.pk)
        data[f"lines-{index}-quantity"] = str(quantity)
    return {**data, **changes}


def sales_of(hospital: Hospital) -> list[Sale]:
    with tenant_context(hospital):
        return list(Sale.objects.all())


def test_a_sale_opens_its_printable_receipt(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    data = sale_data((stocked.medicine, 4), discount="0.20", tax_rate="10")
    response = pharmacist_a.post("/pharmacy/sales/new/", data)
    sale = next(s for s in sales_of(hospital_a) if s.pk != stocked.sale.pk)
    assert response.status_code == 302 and response["Location"] == f"/pharmacy/sales/{sale.pk}/"
    assert str(sale.net_amount) == "1.98"  # (4 × 0.50 − 0.20) + 10 %
    receipt = pharmacist_a.get(response["Location"]).text
    assert f"Sold {sale.number}." in receipt
    assert hospital_a.name in receipt and "Rauf Məmmədov" in receipt
    assert "PCM-001" in receipt and 'data-testid="net-amount"><strong>1.98<' in receipt
    assert "data-print" in receipt and "Print receipt" in receipt


def test_short_stock_is_refused_with_every_short_medicine_listed(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    ibuprofen = make_medicine(hospital_a, generic_name="Ibuprofen", brand_name="")
    receive(hospital_a, ibuprofen, ("IBU-1", in_days(100), 2))
    data = sale_data((stocked.medicine, 91), (ibuprofen, 3))
    response = pharmacist_a.post("/pharmacy/sales/new/", data, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    shortage = response.text[response.text.index('id="shortage"') :]
    assert "Not enough stock for 2 medicines; nothing was sold." in shortage
    assert "Paracetamol 500 mg (Panadol): 91 asked, 90 in sellable stock" in shortage
    assert "Ibuprofen 500 mg: 3 asked, 2 in sellable stock" in shortage
    assert set(errors_in(response.text)) == {"lines-0-quantity", "lines-1-quantity"}
    assert len(sales_of(hospital_a)) == 1
    with tenant_context(hospital_a):
        assert medicine_on_hand(medicine_id=stocked.medicine.pk) == 90


def test_wrong_sale_details_are_shown_next_to_their_fields(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    data = sale_data(
        (stocked.medicine, 1),
        customer_name="",
        payment_method="card",
        patient_number="NOBODY-PAT-000001",
    )
    response = pharmacist_a.post("/pharmacy/sales/new/", data)
    assert "<html" in response.text
    assert set(errors_in(response.text)) == {"patient_number", "payment_reference"}
    assert len(sales_of(hospital_a)) == 1


def test_a_sale_without_lines_is_refused(stocked: Stocked, pharmacist_a: Client) -> None:
    response = pharmacist_a.post("/pharmacy/sales/new/", sale_data())
    assert 'id="lines_error"' in response.text


def test_a_registered_patients_sale_goes_on_their_invoice(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    patient = register(hospital_a)
    data = sale_data(
        (stocked.medicine, 2),
        customer_name="",
        patient_number=patient.number,
        payment_method="invoice",
    )
    response = pharmacist_a.post("/pharmacy/sales/new/", data)
    assert response.status_code == 302
    [sale] = [s for s in sales_of(hospital_a) if s.patient_id]
    assert sale.payment_method == "invoice" and sale.customer_name == patient.full_name
    assert patient.number in pharmacist_a.get("/pharmacy/sales/", {"q": patient.number}).text


def test_the_sales_list_filters_as_you_type(stocked: Stocked, pharmacist_a: Client) -> None:
    response = pharmacist_a.get("/pharmacy/sales/", {"q": stocked.sale.number}, **HTMX)
    assert stocked.sale.number in response.text and "<html" not in response.text
    assert "No sale matches" in pharmacist_a.get("/pharmacy/sales/", {"q": "nobody"}).text


def test_a_return_puts_units_back_and_shows_on_the_sale(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    with tenant_context(hospital_a):
        line = stocked.sale.lines.get()
    path = f"/pharmacy/sales/{stocked.sale.pk}/return/"
    assert 'max="10"' in pharmacist_a.get(path).text
    response = pharmacist_a.post(path, {str(line.pk): "4", "reason": "Doctor changed the dose"})
    assert response["Location"] == f"/pharmacy/sales/{stocked.sale.pk}/"
    with tenant_context(hospital_a):
        assert medicine_on_hand(medicine_id=stocked.medicine.pk) == 94
        assert str(SaleReturn.objects.get().amount) == "2.00"
    assert "Doctor changed the dose" in pharmacist_a.get(response["Location"]).text


def test_a_return_of_more_than_was_sold_is_refused_next_to_the_line(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    with tenant_context(hospital_a):
        line = stocked.sale.lines.get()
    path = f"/pharmacy/sales/{stocked.sale.pk}/return/"
    response = pharmacist_a.post(path, {str(line.pk): "11", "reason": ""}, **HTMX)
    assert set(errors_in(response.text)) == {str(line.pk), "reason"}
    nothing = pharmacist_a.post(path, {str(line.pk): "0", "reason": "Changed mind"})
    assert "at least one medicine" in nothing.text
    with tenant_context(hospital_a):
        assert not SaleReturn.objects.exists()


def test_a_medicine_of_hospital_a_cannot_be_sold_on_hospital_bs_host(
    hospital_b: Hospital, stocked: Stocked, client_b: Client
) -> None:
    response = client_b.post("/pharmacy/sales/new/", sale_data((stocked.medicine, 1)))
    assert response.status_code == 200
    assert "lines-0-medicine" in errors_in(response.text)
    assert sales_of(hospital_b) == []


def test_a_prescription_item_id_is_carried_by_the_sale_line(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol", 2))
    (item,) = prescription_items(hospital_a, prescription)
    data = sale_data(
        (stocked.medicine, 1),
        patient_number=prescription.patient.number,
        **{"lines-0-prescription_item_id": str(item.pk)},
    )
    assert pharmacist_a.post("/pharmacy/sales/new/", data).status_code == 302
    with tenant_context(hospital_a):
        line = Sale.objects.get(lines__prescription_item=item).lines.get()
        assert line.prescription_item_id == item.pk


def test_the_plain_sale_form_also_refuses_more_than_prescribed(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol", 2))
    (item,) = prescription_items(hospital_a, prescription)
    data = sale_data(
        (stocked.medicine, 3),
        patient_number=prescription.patient.number,
        **{"lines-0-prescription_item_id": str(item.pk)},
    )
    response = pharmacist_a.post("/pharmacy/sales/new/", data)
    assert response.status_code == 200
    assert "lines-0-quantity" in errors_in(response.text)
    assert "more than prescribed" in response.text


def test_the_sale_form_shows_each_medicines_sellable_stock(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    receive(hospital_a, stocked.medicine, ("OLD", in_days(-1), 50), on=in_days(-300))
    page = pharmacist_a.get("/pharmacy/sales/new/").text
    assert "Paracetamol 500 mg (Panadol) · 90 in stock" in page  # the expired 50 do not count
