"""Decimals as people type and read them, with a comma or a point, in either language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from apps.core.numbers import DecimalField, decimal_display, decimal_parse


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("36,6", "36.6"),
        ("36.6", "36.6"),
        (" 6,1 ", "6.1"),
        ("-0,5", "-0.5"),
        (",5", "0.5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("40", "40"),
    ],
)
def test_a_decimal_is_read_with_a_comma_or_a_point(typed: str, number: str) -> None:
    assert decimal_parse(typed) == Decimal(number)
    assert str(decimal_parse(typed)) == number


@pytest.mark.parametrize("typed", ["", ",", "abc", "1e3", "NaN", "Infinity", "1,2,3", "1.23.4"])
def test_anything_else_is_not_a_number(typed: str) -> None:
    with pytest.raises(ValueError):
        decimal_parse(typed)


class Temperature(forms.Form):
    temperature = DecimalField(max_digits=4, decimal_places=1, required=False)


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_form_field_reads_36_comma_6_as_36_point_6_never_366(language: str) -> None:
    with translation.override(language):
        for typed in ("36,6", "36.6"):
            form = Temperature({"temperature": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["temperature"] == Decimal("36.6")
        assert not Temperature({"temperature": "36,66"}).is_valid()  # one decimal place
        assert not Temperature({"temperature": "abc"}).is_valid()
        assert Temperature({"temperature": ""}).is_valid()


def test_the_form_field_shows_its_value_in_the_readers_format() -> None:
    form = Temperature(initial={"temperature": Decimal("36.6")})
    with translation.override("az"):
        assert 'value="36,6"' in str(form["temperature"])
    with translation.override("en"):
        html = str(form["temperature"])
    assert 'value="36.6"' in html and 'type="text"' in html and 'inputmode="decimal"' in html


def test_a_decimal_is_shown_in_the_readers_format() -> None:
    with translation.override("az"):
        assert decimal_display(Decimal("36.6")) == "36,6"
        assert decimal_display(Decimal("25.0000"), trim=True) == "25"
        assert decimal_display(Decimal("2.5"), 2) == "2,50"
        assert decimal_display("6.1") == "6,1"  # a number typed as text
        assert decimal_display("positive") == "positive"
    with translation.override("en"):
        assert decimal_display(Decimal("36.60")) == "36.60"
        assert decimal_display(Decimal("13.5000"), trim=True) == "13.5"
        assert decimal_display(Decimal("100"), trim=True) == "100"
    assert decimal_display(None) == ""
