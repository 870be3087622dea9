"""Invoice arithmetic, rounded by the one rule of ``apps.core.money`` at each step a
person could check on paper:

- a line: ``quantity × unit price``, rounded (``apps.core.money.line_amount``);
- the subtotal: the sum of the rounded lines (no further rounding needed);
- a percent discount: ``subtotal × percent / 100``, rounded; an amount discount as typed,
  never more than the subtotal (a draft whose lines shrink below an amount discount has
  the discount cut to the subtotal rather than a negative total);
- the total: ``subtotal − discount``; the balance: ``total − paid − written off``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from apps.core.money import ZERO, percent_of, to_cents


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    total: Decimal


def invoice_totals(*, line_amounts: Iterable[Decimal], kind: str, value: Decimal) -> Totals:
    """``kind`` is ``"none"``, ``"percent"`` or ``"amount"`` (``DiscountKind``)."""
    subtotal = to_cents(sum(line_amounts, ZERO))
    if kind == "percent":
        discount = percent_of(subtotal, value)
    elif kind == "amount":
        discount = to_cents(value)
    else:
        discount = ZERO
    discount = min(max(discount, ZERO), subtotal)
    return Totals(subtotal=subtotal, discount=discount, total=subtotal - discount)
