from __future__ import annotations

from decimal import Decimal as D

import pytest

from apps.core.money import ZERO, line_amount, percent_of, share_of, to_cents


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        (D("0.005"), D("0.01")),  # half-even would give 0.00
        (D("0.015"), D("0.02")),
        (D("2.675"), D("2.68")),
        (D("0.0049"), D("0.00")),
        (D("-0.005"), D("-0.01")),  # away from zero, as a refund is written
        (D("40"), D("40.00")),
    ],
)
def test_every_amount_is_rounded_to_the_cent_half_up(amount: D, rounded: D) -> None:
    assert to_cents(amount) == rounded
    assert str(to_cents(amount)) == str(rounded)


def test_a_line_is_quantity_times_unit_price_rounded() -> None:
    assert line_amount(quantity=D("3"), unit_price=D("0.335")) == D("1.01")  # 1.005
    assert line_amount(quantity=2, unit_price=D("0.50")) == D("1.00")


def test_a_percentage_of_an_amount_is_rounded() -> None:
    assert percent_of(D("1.00"), D("0.5")) == D("0.01")  # 0.005
    assert percent_of(D("10.00"), D("18")) == D("1.80")


def test_a_share_is_rounded_and_nothing_of_nothing() -> None:
    assert share_of(D("1.01"), part=D("0.50"), whole=D("1.00")) == D("0.51")  # 0.505
    assert share_of(D("5.00"), part=D("1.00"), whole=ZERO) == ZERO
