from __future__ import annotations

from decimal import Decimal

import pytest

from apps.consultations.vitals import bmi_of, flags_of


def test_bmi_is_weight_over_height_squared_to_one_decimal() -> None:
    assert bmi_of(weight=Decimal("70"), height=Decimal("175")) == Decimal("22.9")
    assert bmi_of(weight=Decimal("95.5"), height=Decimal("168")) == Decimal("33.8")


def test_bmi_needs_both_weight_and_height() -> None:
    assert bmi_of(weight=Decimal("70"), height=None) is None
    assert bmi_of(weight=None, height=Decimal("170")) is None


@pytest.mark.parametrize(
    ("field", "value", "level"),
    [
        ("systolic", 150, "high"),
        ("systolic", 85, "low"),
        ("diastolic", 95, "high"),
        ("pulse", 120, "high"),
        ("temperature", Decimal("38.6"), "high"),
        ("temperature", Decimal("35.2"), "low"),
        ("spo2", 91, "low"),
        ("respiratory_rate", 26, "high"),
        ("bmi", Decimal("31.0"), "high"),
        ("bmi", Decimal("17.0"), "low"),
    ],
)
def test_values_outside_the_normal_range_are_flagged(field: str, value, level: str) -> None:
    [flag] = flags_of({field: value})
    assert (flag.field, flag.level) == (field, level)
    assert str(flag.text) == ("High" if level == "high" else "Low")


def test_normal_values_raise_no_flag() -> None:
    normal: dict[str, Decimal | int | None] = {
        "systolic": 120,
        "diastolic": 80,
        "pulse": 72,
        "temperature": Decimal("36.8"),
        "spo2": 98,
        "respiratory_rate": 16,
        "bmi": Decimal("22.0"),
    }
    assert flags_of(normal) == []
