"""A sale, a dispense, a return and a stock receipt are submitted once: a double click,
two tabs or Back and the same button again show the first one's outcome; stock and cash
are taken once."""

from __future__ import annotations

import uuid

from apps.accounts.models import Role, User
from apps.core.tests.submitting import (
    landed,
    platform_events_kept_out,
    post_at_once,
    racing,
    window_passed,
)
from apps.pharmacy.models import Sale, SaleReturn, StockReceipt
from apps.pharmacy.selectors import medicine_on_hand
from apps.pharmacy.tests.conftest import HTMX
from apps.pharmacy.tests.factories import (
    in_days,
    make_medicine,
    make_supplier,
    prescribe,
    receive,
)
from apps.pharmacy.tests.test_views_dispensing import dispense_data
from apps.pharmacy.tests.test_views_sales import sale_data
from apps.pharmacy.tests.test_views_stock import line, receipt_data
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

__all__ = ["platform_events_kept_out", "window_passed"]  # fixtures, used by name


def counts(hospital: Hospital, medicine_id: uuid.UUID) -> tuple[int, int]:
    with tenant_context(hospital):
        return Sale.objects.count(), medicine_on_hand(medicine_id=medicine_id)


def pharmacist(hospital: Hospital) -> User:
    return make_user(hospital, Role.PHARMACIST)


@racing
def test_a_double_click_on_sell_makes_one_sale_and_takes_the_stock_once(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 50))
    first, second = post_at_once(
        hospital_a, pharmacist(hospital_a), "/pharmacy/sales/new/", sale_data((medicine, 4))
    )
    assert counts(hospital_a, medicine.pk) == (1, 46)
    with tenant_context(hospital_a):
        sale = Sale.objects.get()
    assert landed(first) == landed(second) == f"/pharmacy/sales/{sale.pk}/"


@racing
def test_an_htmx_double_click_on_sell_sends_both_clicks_to_the_one_sale(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 50))
    answers = post_at_once(
        hospital_a, pharmacist(hospital_a), "/pharmacy/sales/new/", sale_data((medicine, 4)), **HTMX
    )
    assert counts(hospital_a, medicine.pk) == (1, 46)
    with tenant_context(hospital_a):
        sale = Sale.objects.get()
    assert [answer["HX-Redirect"] for answer in answers] == [f"/pharmacy/sales/{sale.pk}/"] * 2


def test_back_and_sell_again_shows_the_first_sale(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 50))
    client = hospital_client(hospital_a, pharmacist(hospital_a))
    first = client.post("/pharmacy/sales/new/", sale_data((medicine, 4)))
    again = client.post("/pharmacy/sales/new/", sale_data((medicine, 4)))
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    assert counts(hospital_a, medicine.pk) == (1, 46)


def test_the_same_cart_after_the_window_is_the_next_customers_sale(
    hospital_a: Hospital, window_passed: None
) -> None:
    """At the counter two customers may well buy the same: out of the window an identical
    cart is a sale of its own (a dispensed prescription is not: see below)."""
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 50))
    client = hospital_client(hospital_a, pharmacist(hospital_a))
    client.post("/pharmacy/sales/new/", sale_data((medicine, 4)))
    client.post("/pharmacy/sales/new/", sale_data((medicine, 4)))
    assert counts(hospital_a, medicine.pk) == (2, 42)


@racing
def test_a_double_click_on_dispense_dispenses_once(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 100))
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    url = f"/pharmacy/dispense/{prescription.pk}/"
    first, second = post_at_once(
        hospital_a, pharmacist(hospital_a), url, dispense_data((medicine, 10))
    )
    assert counts(hospital_a, medicine.pk) == (1, 90)
    # the answers said, should the copy ever not land with the first (a wait run out)
    statuses = (first.status_code, second.status_code)
    assert landed(first) == landed(second) != "", statuses


def test_a_prescription_dispensed_again_after_the_window_is_refused(
    hospital_a: Hospital, window_passed: None
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 100))
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10))
    client = hospital_client(hospital_a, pharmacist(hospital_a))
    url = f"/pharmacy/dispense/{prescription.pk}/"
    assert client.post(url, dispense_data((medicine, 10))).status_code == 302
    again = client.post(url, dispense_data((medicine, 10)))
    assert again.status_code == 200 and "more than prescribed" in again.text
    assert counts(hospital_a, medicine.pk) == (1, 90)


@racing
def test_a_double_click_on_a_return_returns_once(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 50))
    user = pharmacist(hospital_a)
    client = hospital_client(hospital_a, user)
    client.post("/pharmacy/sales/new/", sale_data((medicine, 4)))
    with tenant_context(hospital_a):
        sale = Sale.objects.get()
        line = sale.lines.get()
    data = {str(line.pk): "2", "reason": "Wrong strength"}
    post_at_once(hospital_a, user, f"/pharmacy/sales/{sale.pk}/return/", data)
    with tenant_context(hospital_a):
        assert SaleReturn.objects.count() == 1
        assert medicine_on_hand(medicine_id=medicine.pk) == 48


@racing
def test_a_double_click_on_a_stock_receipt_receives_once(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    data = receipt_data(make_supplier(hospital_a), line(medicine, quantity="20"), total=1)
    post_at_once(hospital_a, pharmacist(hospital_a), "/pharmacy/receipts/new/", data)
    with tenant_context(hospital_a):
        assert StockReceipt.objects.count() == 1
        assert medicine_on_hand(medicine_id=medicine.pk) == 20
