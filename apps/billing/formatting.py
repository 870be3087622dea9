"""Money as people read it, in the hospital's currency.

A local stand-in: ``Hospital.currency`` and a shared ``money`` template filter are being
added to apps/core in parallel; until they land, a hospital without the field is shown in
AZN. Swap ``money_display`` for the shared helper at merge time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format

DEFAULT_CURRENCY = "AZN"


def currency_of(hospital: Any) -> str:
    return str(getattr(hospital, "currency", "") or DEFAULT_CURRENCY)


def money_display(amount: Decimal | None, hospital: Any) -> str:
    """``1,234.50 AZN``: two decimals, grouped thousands, the currency code after."""
    value = number_format(amount or Decimal("0"), decimal_pos=2, force_grouping=True)
    return f"{value} {currency_of(hospital)}"
