"""``{{ amount|amount_in:hospital }}`` → ``1,234.50 AZN`` (see apps.billing.formatting)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from apps.billing.formatting import money_display

register = template.Library()


@register.filter
def amount_in(amount: Decimal | None, hospital: Any) -> str:
    return money_display(amount, hospital)
