"""The one rounding rule for every amount of money.

Every amount is a ``Decimal`` rounded to the cent with ``ROUND_HALF_UP`` (0.005 → 0.01,
as people and tills round, not banker's rounding), at each step a person could check on
paper: a line is ``quantity × unit price`` rounded, a share or a percentage of an amount
is rounded, and sums of rounded amounts need no further rounding. Fees, prices, invoice
lines, sales, taxes, refunds and receipts all round here, so no module rounds a cent its
own way (``Decimal.quantize`` without a rounding argument rounds half-even).

Core is the ground floor: this module imports no app of the project.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def to_cents(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(*, quantity: Decimal | int, unit_price: Decimal) -> Decimal:
    """What a line of ``quantity`` units at ``unit_price`` comes to."""
    return to_cents(quantity * unit_price)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``amount`` (a discount, a tax), rounded."""
    return to_cents(amount * percent / HUNDRED)


def share_of(amount: Decimal, *, part: Decimal, whole: Decimal) -> Decimal:
    """The share of ``amount`` that ``part`` is of ``whole`` (a refund of some lines of a
    discounted, taxed sale), rounded; nothing when ``whole`` is nothing."""
    if whole == 0:
        return ZERO
    return to_cents(amount * part / whole)
