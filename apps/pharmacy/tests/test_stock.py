from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.exceptions import HMSError, ValidationError
from apps.pharmacy.models import Batch, Medicine, StockMovement, StockReceipt
from apps.pharmacy.services.errors import InvalidDocument
from apps.pharmacy.services.sales import sale_return_create
from apps.pharmacy.services.stock import ReceiptLine, stock_adjust, stock_receive
from apps.pharmacy.tests.factories import in_days, make_medicine, make_supplier, receive, sell
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_a_receipt_is_one_numbered_document_with_a_batch_per_line(hospital_a: Hospital) -> None:
    paracetamol = make_medicine(hospital_a)
    ibuprofen = make_medicine(hospital_a, generic_name="Ibuprofen", brand_name="")
    supplier = make_supplier(hospital_a)
    with tenant_context(hospital_a):
        receipt = stock_receive(
            hospital=hospital_a,
            supplier_id=supplier.pk,
            received_on=in_days(0),
            supplier_invoice="INV-77",
            lines=[
                ReceiptLine(paracetamol.pk, "P-1", in_days(300), 100, Decimal("0.10")),
                ReceiptLine(ibuprofen.pk, "I-1", in_days(200), 40, Decimal("0.25")),
            ],
        )
        assert receipt.number == f"{hospital_a.code}-GRN-{in_days(0).year}-000001"
        assert receipt.total_cost == Decimal("20.00")
        assert {(b.batch_number, b.quantity_on_hand) for b in receipt.batches.all()} == {
            ("P-1", 100),
            ("I-1", 40),
        }
        assert StockMovement.objects.filter(receipt=receipt, kind="receipt").count() == 2


def test_a_receipt_reports_every_wrong_line_and_saves_nothing(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a)
    with tenant_context(hospital_a):
        with pytest.raises(InvalidDocument) as refused:
            stock_receive(
                hospital=hospital_a,
                supplier_id=None,
                received_on=in_days(3),
                lines=[
                    ReceiptLine(medicine.pk, "OK", in_days(100), 10, Decimal("1")),
                    ReceiptLine(medicine.pk, "", in_days(-1), 0, Decimal("-1")),
                    ReceiptLine(None, "X", in_days(100), 5, Decimal("1")),
                ],
            )
        assert set(refused.value.errors) == {"supplier", "received_on"}
        assert 0 not in refused.value.line_errors
        assert set(refused.value.line_errors[1]) == {
            "batch_number",
            "expiry_date",
            "quantity",
            "unit_cost",
        }
        assert "already expired" in refused.value.line_errors[1]["expiry_date"]
        assert set(refused.value.line_errors[2]) == {"medicine"}
        assert not StockReceipt.objects.exists() and not Batch.objects.exists()


def test_an_adjustment_records_its_reason_and_never_takes_stock_below_zero(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 10))
    with tenant_context(hospital_a):
        batch = Batch.objects.get()
        adjustment = stock_adjust(batch=batch, quantity=-4, reason="damaged", note="Crushed box")
        assert adjustment.reason == "damaged"
        with pytest.raises(ValidationError) as refused:
            stock_adjust(batch=batch, quantity=-7, reason="count")
        assert refused.value.field == "quantity" and "holds 6 units" in refused.value.message
        with pytest.raises(InvalidDocument) as unexplained:
            stock_adjust(batch=batch, quantity=1, reason="other")
        assert set(unexplained.value.errors) == {"note"}
        batch.refresh_from_db()
        assert batch.quantity_on_hand == 6
        assert list(StockMovement.objects.values_list("kind", "quantity", "balance_after")) == [
            ("receipt", 10, 10),
            ("adjustment", -4, 6),
        ]


def assert_ledger_adds_up(medicine: Medicine) -> None:
    batches = Batch.objects.filter(medicine=medicine)
    on_hand = batches.aggregate(total=Sum("quantity_on_hand"))["total"] or 0
    movements = StockMovement.objects.filter(medicine=medicine)
    assert (movements.aggregate(total=Sum("quantity"))["total"] or 0) == on_hand
    last = movements.order_by("-id").first()
    assert (last.balance_after if last else 0) == on_hand
    for batch in batches:
        assert batch.quantity_on_hand >= 0
        moved = batch.movements.aggregate(total=Sum("quantity"))["total"]
        assert moved == batch.quantity_on_hand


operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(1, 30), st.integers(1, 400)),
        st.tuples(st.just("sell"), st.integers(1, 40), st.just(0)),
        st.tuples(st.just("return"), st.integers(1, 10), st.integers(0, 20)),
        st.tuples(st.just("adjust"), st.integers(-15, 15), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_the_ledger_always_adds_up_to_the_quantity_on_hand(
    hospital_a: Hospital, steps: list[tuple[str, int, int]]
) -> None:
    # The examples share the hospital: each starts from what the previous ones left,
    # which only makes the sequences longer.
    # A fresh name each example (``id(steps)`` was reused by a later example's list and
    # made a duplicate medicine, which the catalogue refuses).
    medicine = make_medicine(hospital_a, generic_name=f"Drug {uuid.uuid4().hex[:12]}")
    sales = []
    for number, (kind, amount, pick) in enumerate(steps):
        try:
            if kind == "receive":
                receive(
                    hospital_a,
                    medicine,
                    (f"B{number}", in_days(pick - 30), amount),
                    on=in_days(-60),
                )
            elif kind == "sell":
                sales.append(sell(hospital_a, (medicine, amount)))
            elif kind == "return" and sales:
                sale = sales[pick % len(sales)]
                with tenant_context(hospital_a):
                    line = sale.lines.get()
                    sale_return_create(sale=sale, quantities={line.pk: amount}, reason="Back")
            elif kind == "adjust":
                with tenant_context(hospital_a):
                    batches = list(Batch.objects.filter(medicine=medicine))
                    if batches and amount:
                        stock_adjust(
                            batch=batches[pick % len(batches)], quantity=amount, reason="count"
                        )
        except HMSError:
            pass  # refusals are part of the sequence: they must leave nothing behind
        with tenant_context(hospital_a):
            assert_ledger_adds_up(medicine)
