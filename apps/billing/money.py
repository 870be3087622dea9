"""Invoice arithmetic, in one place.

Every amount is a ``Decimal`` rounded to the cent with ``ROUND_HALF_UP`` (0.005 → 0.01,
as people and tills round, not banker's rounding) at each step a person could check on
paper:

- a line: ``quantity × unit price``, rounded;
- the subtotal: the sum of the rounded lines (no further rounding needed);
- a percent discount: ``subtotal × percent / 100``, rounded; an amount discount as typed,
  never more than the subtotal (a draft whose lines shrink below an amount discount has
  the discount cut to the subtotal rather than a negative total);
- the total: ``subtotal − discount``; the balance: ``total − paid − written off``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(*, quantity: Decimal, unit_price: Decimal) -> Decimal:
    return to_cents(quantity * unit_price)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    total: Decimal


def invoice_totals(*, line_amounts: Iterable[Decimal], kind: str, value: Decimal) -> Totals:
    """``kind`` is ``"none"``, ``"percent"`` or ``"amount"`` (``DiscountKind``)."""
    subtotal = to_cents(sum(line_amounts, ZERO))
    if kind == "percent":
        discount = to_cents(subtotal * value / HUNDRED)
    elif kind == "amount":
        discount = to_cents(value)
    else:
        discount = ZERO
    discount = min(max(discount, ZERO), subtotal)
    return Totals(subtotal=subtotal, discount=discount, total=subtotal - discount)
