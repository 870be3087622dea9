from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connections

from apps.core import billable
from apps.core.exceptions import Conflict
from apps.core.testing import run_at_once
from apps.patients.tests.factories import register
from apps.pharmacy.models import Batch, PaymentMethod, Sale, SaleAllocation, StockMovement
from apps.pharmacy.selectors import dispensed_quantities, medicine_on_hand
from apps.pharmacy.services.errors import InsufficientStock, InvalidDocument
from apps.pharmacy.services.sales import (
    SaleDetails,
    SaleLineInput,
    sale_create,
    sale_return_create,
)
from apps.pharmacy.tests.factories import (
    in_days,
    make_medicine,
    prescribe,
    prescription_items,
    receive,
    sell,
)
from apps.tenancy.connections import hospital_alias
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def allocations(hospital: Hospital, sale: Sale) -> list[tuple[str, int]]:
    with tenant_context(hospital):
        return [
            (a.batch.batch_number, a.quantity)
            for a in SaleAllocation.objects.filter(line__sale=sale).select_related("batch")
        ]


def on_hand(hospital: Hospital, medicine) -> int:
    with tenant_context(hospital):
        return medicine_on_hand(medicine_id=medicine.pk)


def batch_left(hospital: Hospital, number: str) -> int:
    with tenant_context(hospital):
        return Batch.objects.get(batch_number=number).quantity_on_hand


def test_a_sale_is_numbered_per_hospital_and_year(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 10))
    first, second = sell(hospital_a, (medicine, 1)), sell(hospital_a, (medicine, 1))
    year = first.sold_at.year
    assert first.number == f"{hospital_a.code}-SAL-{year}-000001"
    assert second.number == f"{hospital_a.code}-SAL-{year}-000002"


def test_stock_leaves_the_soonest_expiring_batch_first_across_several_batches(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(
        hospital_a,
        medicine,
        ("LATE", in_days(300), 10),
        ("SOON", in_days(40), 4),
        ("MIDDLE", in_days(120), 5),
    )
    sale = sell(hospital_a, (medicine, 12))
    assert allocations(hospital_a, sale) == [("SOON", 4), ("MIDDLE", 5), ("LATE", 3)]
    assert [batch_left(hospital_a, n) for n in ("SOON", "MIDDLE", "LATE")] == [0, 0, 7]
    assert on_hand(hospital_a, medicine) == 7


def test_expired_batches_are_never_sold(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    # received long ago: one batch has expired since, one expires today (not sellable)
    receive(hospital_a, medicine, ("OLD", in_days(-5), 50), on=in_days(-400))
    receive(hospital_a, medicine, ("TODAY", in_days(0), 50), on=in_days(-400))
    receive(hospital_a, medicine, ("GOOD", in_days(90), 3))
    sale = sell(hospital_a, (medicine, 3))
    assert allocations(hospital_a, sale) == [("GOOD", 3)]
    with pytest.raises(InsufficientStock) as refused:
        sell(hospital_a, (medicine, 1))
    [shortage] = refused.value.shortages
    assert (shortage.requested, shortage.available) == (1, 0)
    assert batch_left(hospital_a, "OLD") == batch_left(hospital_a, "TODAY") == 50


def test_one_error_lists_every_short_medicine_and_nothing_is_sold(hospital_a: Hospital) -> None:
    paracetamol = make_medicine(hospital_a)
    amoxicillin = make_medicine(
        hospital_a, generic_name="Amoxicillin", brand_name="", form="capsule"
    )
    ibuprofen = make_medicine(hospital_a, generic_name="Ibuprofen", brand_name="")
    receive(hospital_a, paracetamol, ("P1", in_days(100), 10))
    receive(hospital_a, amoxicillin, ("A1", in_days(100), 2))
    with pytest.raises(InsufficientStock) as refused:
        sell(hospital_a, (paracetamol, 5), (amoxicillin, 3), (ibuprofen, 1))
    short = {str(s.medicine): (s.requested, s.available) for s in refused.value.shortages}
    assert short == {"Amoxicillin 500 mg": (3, 2), "Ibuprofen 500 mg": (1, 0)}
    assert "Amoxicillin 500 mg: 3 asked, 2 in sellable stock" in refused.value.lines()
    assert on_hand(hospital_a, paracetamol) == 10
    with tenant_context(hospital_a):
        assert not Sale.objects.exists()


def test_the_same_medicine_on_two_lines_is_checked_against_its_stock_once(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    with pytest.raises(InsufficientStock) as refused:
        sell(hospital_a, (medicine, 3), (medicine, 3))
    assert refused.value.shortages[0].requested == 6


def test_money_is_computed_on_the_server(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a, sale_price=Decimal("1.25"))
    receive(hospital_a, medicine, ("B1", in_days(100), 20))
    sale = sell(hospital_a, (medicine, 10), discount=Decimal("2.50"), tax_rate=Decimal("18"))
    assert sale.subtotal == Decimal("12.50")
    assert sale.tax_amount == Decimal("1.80")  # 18 % of 10.00
    assert sale.net_amount == Decimal("11.80")


def test_half_a_cent_on_a_sale_and_on_its_return_line_is_rounded_up(
    hospital_a: Hospital,
) -> None:
    # A line's price × whole units is always whole cents; tax and a refund's share are
    # where half a cent appears. Half-even (Decimal's default) would give 0.00 and 0.50.
    medicine = make_medicine(hospital_a, sale_price=Decimal("0.50"))
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    sale = sell(hospital_a, (medicine, 2), tax_rate=Decimal("0.5"))
    assert sale.tax_amount == Decimal("0.01")  # 0.5 % of 1.00 = 0.005
    assert sale.net_amount == Decimal("1.01")
    with tenant_context(hospital_a):
        returned = sale_return_create(
            sale=sale, quantities={sale.lines.get().pk: 1}, reason="Not needed"
        )
        refund_line = returned.lines.get()
    assert refund_line.amount == Decimal("0.51")  # 0.50 × 1.01 / 1.00 = 0.505


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_name": ""}, "customer_name"),
        ({"discount": Decimal("-1")}, "discount"),
        ({"tax_rate": Decimal("101")}, "tax_rate"),
        ({"method": PaymentMethod.CARD}, "payment_reference"),
        ({"method": PaymentMethod.INVOICE}, "payment_method"),
        ({"patient_number": "NOPE-PAT-1"}, "patient_number"),
    ],
)
def test_wrong_sale_details_are_refused_with_their_field(
    hospital_a: Hospital, changes: dict, field: str
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    with pytest.raises(InvalidDocument) as refused:
        sell(hospital_a, (medicine, 1), **changes)
    assert field in refused.value.errors
    assert on_hand(hospital_a, medicine) == 5


def test_a_discount_larger_than_the_subtotal_is_refused(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    with pytest.raises(InvalidDocument) as refused:
        sell(hospital_a, (medicine, 1), discount=Decimal("5"))
    assert "discount" in refused.value.errors


def test_wrong_lines_are_reported_by_their_position(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    inactive = make_medicine(hospital_a, generic_name="Old", is_active=False)
    with pytest.raises(InvalidDocument) as refused:
        sell(hospital_a, (medicine, 0), (inactive, 1))
    assert set(refused.value.line_errors[0]) == {"quantity"}
    assert set(refused.value.line_errors[1]) == {"medicine"}


def test_a_registered_patients_sale_takes_their_name_and_may_go_on_their_invoice(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    sale = sell(
        hospital_a,
        (medicine, 2),
        method=PaymentMethod.INVOICE,
        customer_name="",
        patient_number=patient.number.lower(),
    )
    assert sale.patient_id == patient.pk and sale.customer_name == "Nizami Aliyev"


def test_two_sales_racing_for_the_last_units_one_succeeds(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("LAST", in_days(100), 3))

    def counter() -> Sale:
        return sell(hospital_a, (medicine, 2))

    outcomes = [outcome.value_or_error for outcome in run_at_once(counter, counter)]
    sales = [o for o in outcomes if isinstance(o, Sale)]
    refusals = [o for o in outcomes if isinstance(o, InsufficientStock)]
    assert len(sales) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].shortages[0].available == 1
    assert on_hand(hospital_a, medicine) == 1


def test_a_return_goes_back_to_the_batches_it_came_from(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a, sale_price=Decimal("2.00"))
    receive(hospital_a, medicine, ("SOON", in_days(30), 3), ("LATE", in_days(300), 10))
    sale = sell(hospital_a, (medicine, 5), discount=Decimal("1.00"))  # 10.00 - 1.00
    assert allocations(hospital_a, sale) == [("SOON", 3), ("LATE", 2)]
    with tenant_context(hospital_a):
        line = sale.lines.get()
        returned = sale_return_create(sale=sale, quantities={line.pk: 3}, reason="Wrong strength")
    # the latest-expiring units come back first; the soonest-expiring stay sold
    assert (batch_left(hospital_a, "SOON"), batch_left(hospital_a, "LATE")) == (1, 10)
    assert returned.amount == Decimal("5.40")  # 3 × 2.00 × 9/10
    with tenant_context(hospital_a):
        line.refresh_from_db()
        assert line.quantity_returned == 3
        rest = sale_return_create(sale=sale, quantities={line.pk: 2}, reason="Not needed")
        sale.refresh_from_db()
    assert rest.amount == Decimal("3.60") and sale.refunded_amount == sale.net_amount
    assert (batch_left(hospital_a, "SOON"), batch_left(hospital_a, "LATE")) == (3, 10)


def test_more_than_was_sold_cannot_come_back(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    sale = sell(hospital_a, (medicine, 2))
    with tenant_context(hospital_a):
        line = sale.lines.get()
        with pytest.raises(InvalidDocument) as refused:
            sale_return_create(sale=sale, quantities={line.pk: 3}, reason="Too many")
        assert str(line.pk) in refused.value.errors
        with pytest.raises(InvalidDocument) as nothing:
            sale_return_create(sale=sale, quantities={line.pk: 0}, reason="")
        assert {"reason", "lines"} <= set(nothing.value.errors)
    assert on_hand(hospital_a, medicine) == 3


def test_returning_part_of_an_invoiced_sale_withdraws_it_from_billing(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    sale = sell(hospital_a, (medicine, 2), method=PaymentMethod.INVOICE, patient_id=patient.pk)
    heard: list[dict] = []

    def refuse(**item: str) -> None:
        heard.append(item)
        raise Conflict("The sale is on an issued invoice; issue a credit note.")

    billable.register_withdraw_handler(refuse)
    try:
        with tenant_context(hospital_a), pytest.raises(Conflict):
            sale_return_create(sale=sale, quantities={sale.lines.get().pk: 1}, reason="Spare")
    finally:
        billable.unregister_withdraw_handler(refuse)
    assert heard == [{"source": "pharmacy.sale", "reference": str(sale.pk)}]
    assert on_hand(hospital_a, medicine) == 3  # the refused return changed nothing
    with tenant_context(hospital_a):
        assert StockMovement.objects.filter(kind="return").count() == 0


def test_a_sale_of_ten_lines_from_five_batches_each_costs_a_fixed_number_of_queries(
    hospital_a: Hospital, django_assert_max_num_queries
) -> None:
    medicines = [make_medicine(hospital_a, generic_name=f"Drug {n}") for n in range(10)]
    for medicine in medicines:
        batches = [(f"{medicine.generic_name}-{n}", in_days(30 + n), 2) for n in range(5)]
        receive(hospital_a, medicine, *batches)
    with tenant_context(hospital_a):
        connection = connections[hospital_alias(hospital_a)]
        with django_assert_max_num_queries(25, connection=connection):
            sale = sale_create(
                hospital=hospital_a,
                details=SaleDetails(customer_name="Bulk buyer", payment_method="cash"),
                lines=[SaleLineInput(medicine.pk, 10) for medicine in medicines],
            )
        assert SaleAllocation.objects.filter(line__sale=sale).count() == 50
        assert not Batch.objects.filter(quantity_on_hand__gt=0).exists()
        assert list(
            StockMovement.objects.filter(sale=sale, medicine=medicines[0]).values_list(
                "balance_after", flat=True
            )
        ) == [8, 6, 4, 2, 0]


def test_a_line_dispensing_a_prescription_item_counts_towards_it_net_of_returns(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 20))
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10), ("Ibuprofen", 5))
    item, other_item = prescription_items(hospital_a, prescription)
    with tenant_context(hospital_a):
        sale = sale_create(
            hospital=hospital_a,
            details=SaleDetails(patient_id=prescription.patient_id, payment_method="cash"),
            lines=[SaleLineInput(medicine.pk, 6, prescription_item_id=item.pk)],
        )
        sale_return_create(sale=sale, quantities={sale.lines.get().pk: 2}, reason="Too many")
        assert dispensed_quantities(prescription_item_ids=[item.pk, other_item.pk]) == {item.pk: 4}
