"""Decimal numbers as people type and read them, in either language.

A nurse types a temperature as "36,6" or "36.6" whatever language her screen is in, so
every decimal input is read with either separator (``decimal_parse``) through one form
field (``DecimalField``). Its input is a text box (``inputmode="decimal"`` brings up the
phone's number pad): a browser's number box reads "36,6" by the browser's own locale —
Chrome in English took the comma for a thousands separator and sent 366. Every decimal
is shown in the reader's format (``decimal_display``: "36,6" in Azerbaijani, "36.6" in
English).

Core is the ground floor: this module imports no app of the project.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import localize_input, number_format

#: what may separate thousands in a typed number: spaces, as in "1 234,50"
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def decimal_parse(text: str) -> Decimal:
    """``"36,6"``, ``"36.6"``, ``"1 234,50"``, ``"1,234.50"``, ``"1.234,50"`` → a Decimal.

    A single comma or point is the decimal separator, whatever the language (nobody
    types a thousands separator into a temperature or a dose); with both, the last one
    is, and the other separates thousands; one kind repeated ("1.234.567") separates
    thousands. Raises ValueError for anything else (letters, "1e3", "NaN", "1,2,3").
    """
    value = _SPACES.sub("", str(text))
    if "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, fraction = value.rpartition(decimal_mark)
        value = f"{_ungrouped(whole, grouping)}.{fraction}"
    else:
        for mark in ",.":
            if value.count(mark) > 1:
                value = _ungrouped(value, mark)
            elif mark == ",":
                value = value.replace(",", ".")
    if not _PLAIN.match(value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from None


def _ungrouped(text: str, grouping: str) -> str:
    """``"1.234.567"`` → ``"1234567"``; ValueError unless the groups are of three."""
    groups = text.lstrip("+-").split(grouping)
    if any(len(group) != 3 for group in groups[1:]) or not 1 <= len(groups[0]) <= 3:
        raise ValueError(text)
    return text.replace(grouping, "")


def decimal_display(
    value: Decimal | float | int | str | None, places: int | None = None, *, trim: bool = False
) -> str:
    """``value`` in the reader's format (the active language's decimal separator):
    ``places`` decimals when given, else as many as the value has — with ``trim``, its
    trailing zeros dropped (a limit stored as ``25.0000`` reads 25). Empty for no value;
    text that is not a number comes back as it is."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else decimal_parse(str(value))
    except ValueError:
        return str(value)
    if places is None:
        if trim:
            number = _without_trailing_zeros(number)
        places = max(0, -int(number.as_tuple().exponent))
    return number_format(number, decimal_pos=places, use_l10n=True)


def _without_trailing_zeros(number: Decimal) -> Decimal:
    normal = number.normalize()
    # normalize() writes 100 as 1E+2: quantize back to whole units
    return normal.quantize(Decimal(1)) if int(normal.as_tuple().exponent) > 0 else normal


class DecimalInput(forms.TextInput):
    """A text box for a decimal: the phone's number pad, the value in the reader's
    format (so what is shown posts back as the same number)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | float):
            return str(localize_input(value))
        return super().format_value(value)


class DecimalField(forms.DecimalField):
    """Django's DecimalField (its digits, places and bounds) reading "36,6" and "36.6"
    alike in either language (``decimal_parse``), in a ``DecimalInput``."""

    widget = DecimalInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return decimal_parse(str(value).strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # no min/max/step: those are a number box's, which this is not on purpose
        return forms.Field.widget_attrs(self, widget)
