"""What a plausible and what a normal measurement is.

Plausible limits are what a body can show at all (outside them the value is a typing
error and is refused); normal ranges are an adult's at rest (outside them the value is
kept and flagged). Sources: WHO/ESC adult blood-pressure thresholds (≥140/90 high),
NEWS2 bands for pulse, respiration, SpO₂ and temperature, WHO adult BMI classes.
Children's ranges differ by age and are not flagged differently yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limits:
    label: Promise
    unit: str
    plausible: tuple[Decimal, Decimal]
    #: (low, high) of the normal range; None where no normal range is flagged
    normal: tuple[Decimal, Decimal] | None


def _d(value: str) -> Decimal:
    return Decimal(value)


LIMITS: dict[str, Limits] = {
    "systolic": Limits(
        _("Systolic pressure"), "mmHg", (_d("50"), _d("300")), (_d("90"), _d("139"))
    ),
    "diastolic": Limits(
        _("Diastolic pressure"), "mmHg", (_d("20"), _d("200")), (_d("60"), _d("89"))
    ),
    "pulse": Limits(_("Pulse"), "/min", (_d("20"), _d("250")), (_d("51"), _d("90"))),
    "temperature": Limits(
        _("Temperature"), "°C", (_d("30.0"), _d("45.0")), (_d("36.1"), _d("38.0"))
    ),
    "spo2": Limits(_("SpO₂"), "%", (_d("50"), _d("100")), (_d("96"), _d("100"))),
    "respiratory_rate": Limits(
        _("Respiratory rate"), "/min", (_d("4"), _d("80")), (_d("12"), _d("20"))
    ),
    "weight": Limits(_("Weight"), "kg", (_d("0.3"), _d("400")), None),
    "height": Limits(_("Height"), "cm", (_d("20"), _d("250")), None),
    "bmi": Limits(_("BMI"), "kg/m²", (_d("5"), _d("150")), (_d("18.5"), _d("24.9"))),
}

MEASURED = (
    "systolic",
    "diastolic",
    "pulse",
    "temperature",
    "spo2",
    "respiratory_rate",
    "weight",
    "height",
)


@dataclass(frozen=True)
class Flag:
    field: str
    label: Promise
    #: "low" or "high"
    level: str
    value: Decimal
    unit: str

    @property
    def text(self) -> Promise:
        return _("Low") if self.level == "low" else _("High")


def bmi_of(*, weight: Decimal | None, height: Decimal | None) -> Decimal | None:
    """Body-mass index (kg/m²) to one decimal, or None without both measurements."""
    if weight is None or height is None or height <= 0:
        return None
    metres = height / Decimal(100)
    return (weight / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def flags_of(values: dict[str, Decimal | int | None]) -> list[Flag]:
    """The values outside their normal range, in the order of ``LIMITS``."""
    flags = []
    for field, limits in LIMITS.items():
        value = values.get(field)
        if value is None or limits.normal is None:
            continue
        value = Decimal(value)
        low, high = limits.normal
        if value < low or value > high:
            level = "low" if value < low else "high"
            flags.append(Flag(field, limits.label, level, value, limits.unit))
    return flags
