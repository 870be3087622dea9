from __future__ import annotations

from typing import Any

from django.test import Client

from apps.pharmacy.models import Batch, StockAdjustment, StockReceipt
from apps.pharmacy.tests.conftest import HTMX, Stocked
from apps.pharmacy.tests.factories import in_days, make_medicine, make_supplier, receive
from apps.pharmacy.tests.test_views_catalogue import errors_in
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def receipt_data(supplier: Any, *lines: dict[str, str], total: int = 3) -> dict[str, str]:
    data = {
        "supplier": str(supplier.pk),
        "received_on": in_days(0).isoformat(),
        "supplier_invoice": "AZ-2026-118",
        "note": "",
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{name}": value for name, value in line.items()})
    return data


def line(medicine: Any, number: str = "AMX-1", quantity: str = "60", **changes: str) -> dict:
    values = {
        "medicine": str(medicine.pk),
        "batch_number": number,
        "expiry_date": in_days(365).isoformat(),
        "quantity": quantity,
        "unit_cost": "0.12",
    }
    return {**values, **changes}


def test_receiving_several_lines_makes_one_receipt_and_a_batch_each(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    paracetamol = make_medicine(hospital_a)
    ibuprofen = make_medicine(hospital_a, generic_name="Ibuprofen")
    supplier = make_supplier(hospital_a)
    data = receipt_data(supplier, line(paracetamol, "P-1"), line(ibuprofen, "I-1", "40"))
    response = pharmacist_a.post("/pharmacy/receipts/new/", data)
    with tenant_context(hospital_a):
        receipt = StockReceipt.objects.get()
        assert sorted(Batch.objects.values_list("batch_number", "quantity_on_hand")) == [
            ("I-1", 40),
            ("P-1", 60),
        ]
    assert response["Location"] == f"/pharmacy/receipts/{receipt.pk}/"
    page = pharmacist_a.get(response["Location"]).text
    assert f"Received {receipt.number}." in page and "I-1" in page and "AZ-2026-118" in page


def test_wrong_lines_are_marked_on_their_own_row_and_nothing_is_received(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    medicine = make_medicine(hospital_a)
    supplier = make_supplier(hospital_a)
    data = receipt_data(
        supplier,
        line(medicine, "OK-1"),
        line(medicine, "OLD-1", expiry_date=in_days(-3).isoformat(), quantity="0"),
    )
    response = pharmacist_a.post("/pharmacy/receipts/new/", data, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    errors = errors_in(response.text)
    assert set(errors) == {"lines-1-quantity"}  # the form's own check comes first
    data["lines-1-quantity"] = "5"
    errors = errors_in(pharmacist_a.post("/pharmacy/receipts/new/", data).text)
    assert set(errors) == {"lines-1-expiry_date"}
    assert "already expired" in errors["lines-1-expiry_date"]
    with tenant_context(hospital_a):
        assert not StockReceipt.objects.exists()


def test_a_receipt_without_lines_is_refused(hospital_a: Hospital, pharmacist_a: Client) -> None:
    supplier = make_supplier(hospital_a)
    response = pharmacist_a.post("/pharmacy/receipts/new/", receipt_data(supplier))
    assert 'id="lines_error"' in response.text and "Add at least one line." in response.text


def test_add_a_line_returns_the_next_row_and_the_new_row_count(pharmacist_a: Client) -> None:
    response = pharmacist_a.get("/pharmacy/receipts/new/line/", {"lines-TOTAL_FORMS": "3"}, **HTMX)
    assert 'name="lines-3-batch_number"' in response.text
    assert 'id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in response.text
    assert 'value="4"' in response.text
    sale_row = pharmacist_a.get("/pharmacy/sales/new/line/", {"lines-TOTAL_FORMS": "7"}, **HTMX)
    assert 'name="lines-7-medicine"' in sale_row.text


def test_an_adjustment_changes_the_batch_and_returns_to_the_medicine(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    path = f"/pharmacy/batches/{stocked.batch.pk}/adjust/"
    response = pharmacist_a.post(path, {"quantity": "-5", "reason": "damaged", "note": "Wet"})
    assert response["Location"] == f"/pharmacy/medicines/{stocked.medicine.pk}/"
    with tenant_context(hospital_a):
        stocked.batch.refresh_from_db()
        assert stocked.batch.quantity_on_hand == 85
        assert StockAdjustment.objects.get().reason == "damaged"
    assert "Damaged — Wet" in pharmacist_a.get(response["Location"]).text


def test_an_adjustment_below_zero_is_refused_next_to_the_quantity(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    path = f"/pharmacy/batches/{stocked.batch.pk}/adjust/"
    response = pharmacist_a.post(path, {"quantity": "-91", "reason": "lost"}, **HTMX)
    assert "holds 90 units" in errors_in(response.text)["quantity"]
    missing = pharmacist_a.post(path, {"quantity": "", "reason": ""})
    assert set(errors_in(missing.text)) == {"quantity", "reason"}
    with tenant_context(hospital_a):
        assert not StockAdjustment.objects.exists()


def test_the_alert_lists_show_low_expiring_and_expired_stock(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    low = make_medicine(hospital_a, generic_name="Lowdrug", reorder_level=50)
    receive(hospital_a, low, ("SOON-1", in_days(20), 5))
    receive(hospital_a, low, ("GONE-1", in_days(-2), 9), on=in_days(-300))
    fine = make_medicine(hospital_a, generic_name="Finedrug", reorder_level=1)
    receive(hospital_a, fine, ("FAR-1", in_days(100), 50))
    low_page = pharmacist_a.get("/pharmacy/stock/low/").text
    assert "Lowdrug" in low_page and "Finedrug" not in low_page
    expiring = pharmacist_a.get("/pharmacy/stock/expiring/").text
    assert "SOON-1" in expiring and "FAR-1" not in expiring and "GONE-1" not in expiring
    wider = pharmacist_a.get("/pharmacy/stock/expiring/", {"days": "120"}, **HTMX).text
    assert "SOON-1" in wider and "FAR-1" in wider and "<html" not in wider
    assert "SOON-1" in pharmacist_a.get("/pharmacy/stock/expiring/", {"days": "x"}).text
    expired = pharmacist_a.get("/pharmacy/stock/expired/").text
    assert "GONE-1" in expired and "SOON-1" not in expired
