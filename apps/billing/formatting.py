"""Money as people read it, in the hospital's currency, for code that builds text outside
a template (history entries, dashboard tiles): the same format as the ``money`` filter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.core.templatetags.hms_format import money


def money_display(amount: Decimal | None, hospital: Any) -> str:
    """``1,234.50 AZN`` (``1 234,50 AZN`` in Azerbaijani); no amount reads as zero."""
    return money(amount or Decimal("0"), hospital)
