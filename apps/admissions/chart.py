"""A small vitals chart drawn on the server: one panel per measurement, each point
labelled with its value, blood pressure as two marked series (filled circles and a solid
line for systolic, hollow squares and a dashed line for diastolic) so it reads without
colour and on paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import Vitals
from apps.core.numbers import decimal_display

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 14, 22


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: str


@dataclass(frozen=True)
class Series:
    name: str | Promise
    #: "solid" or "dashed"; markers "circle" or "square"
    line: str
    marker: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Panel:
    title: str | Promise
    unit: str
    series: list[Series]
    low: Decimal
    high: Decimal
    #: x positions and "dd.mm HH:MM" labels of the first and last measurement
    ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def top(self) -> int:
        return TOP

    @property
    def left(self) -> int:
        return LEFT


MEASURES: list[tuple[str | Promise, str, list[tuple[str, str | Promise]]]] = [
    (_("Blood pressure"), "mmHg", [("systolic", _("Systolic")), ("diastolic", _("Diastolic"))]),
    (_("Pulse"), "/min", [("pulse", _("Pulse"))]),
    (_("Temperature"), "°C", [("temperature", _("Temperature"))]),
    (_("SpO₂"), "%", [("spo2", _("SpO₂"))]),
    (_("Respiratory rate"), "/min", [("respiratory_rate", _("Respiratory rate"))]),
]
STYLES = [("solid", "circle"), ("dashed", "square")]


def _panel(
    title: str | Promise,
    unit: str,
    fields: list[tuple[str, str | Promise]],
    series: Sequence[Vitals],
) -> Panel | None:
    rows = [v for v in series if any(getattr(v, f) is not None for f, _label in fields)]
    if not rows:
        return None
    values = [
        Decimal(getattr(v, f)) for v in rows for f, _label in fields if getattr(v, f) is not None
    ]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    first, last = rows[0].recorded_at, rows[-1].recorded_at
    span = (last - first).total_seconds() or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v: Vitals) -> float:
        if len(rows) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (v.recorded_at - first).total_seconds() / span

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    drawn = []
    for (field, label), (line, marker) in zip(fields, STYLES, strict=False):
        points = [
            Point(x(v), y(Decimal(getattr(v, field))), decimal_display(getattr(v, field)))
            for v in rows
            if getattr(v, field) is not None
        ]
        drawn.append(Series(label, line, marker, points))

    def tick(v: Vitals) -> str:
        return timezone.localtime(v.recorded_at).strftime("%d.%m %H:%M")

    ticks = [(x(rows[0]), tick(rows[0]))]
    if len(rows) > 1:
        ticks.append((x(rows[-1]), tick(rows[-1])))
    return Panel(title, unit, drawn, low, high, ticks)


def vitals_chart(series: Sequence[Vitals]) -> list[Panel]:
    """Panels for the measurements present in ``series`` (oldest first)."""
    panels = [_panel(title, unit, fields, series) for title, unit, fields in MEASURES]
    return [p for p in panels if p is not None]
