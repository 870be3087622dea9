from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from apps.core.formatting import duration_display
from apps.core.names import display_name
from apps.core.numbers import decimal_display
from apps.core.phones import phone_display

register = template.Library()

#: when an amount is shown without a hospital (the platform's own pages)
DEFAULT_CURRENCY = "AZN"


@register.filter
def duration(seconds: float | str | None) -> str:
    """A step's duration; empty while it has none (a running step's log entry has no
    ``duration`` key, which reaches a filter as "")."""
    if seconds is None or seconds == "":
        return ""
    return duration_display(float(seconds))


@register.filter
def money(amount: Decimal | int | str | None, hospital: Any = None) -> str:
    """``{{ amount|money:hospital }}``: the amount with two decimals in the active
    language's number format and the hospital's currency (``1 234,50 AZN`` in
    Azerbaijani, ``1,234.50 AZN`` in English). Empty for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    currency = getattr(hospital, "currency", "") or DEFAULT_CURRENCY
    number = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number}\N{NO-BREAK SPACE}{currency}"


@register.filter
def decimal(value: Decimal | float | str | None, places: int | None = None) -> str:
    """``{{ value|decimal }}`` or ``{{ value|decimal:2 }}``: a number in the reader's
    format (36,6 in Azerbaijani, 36.6 in English), a number typed as text too ("6.1"
    entered as a lab result); without places, as many as it has, trailing zeros kept."""
    return decimal_display(value, places)


@register.filter
def phone(stored: str | None) -> str:
    """``{{ patient.phone|phone }}``: a stored number in international format."""
    return phone_display(stored or "")


@register.filter
def translated(text: str) -> str:
    """A label stored in English (a provisioning step, its state) in the reader's
    language when the catalogue has it; anything else as it is."""
    return gettext(text) if text else text


@register.filter(name="display_name")
def display_name_filter(record: object, field: str = "name") -> str:
    """``{{ test|display_name }}``, ``{{ diagnosis|display_name:"title" }}``: the name in
    the reader's language (see ``apps.core.names``)."""
    if record is None or record == "":
        return ""
    return display_name(record, field)
