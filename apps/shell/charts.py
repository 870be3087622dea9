"""Server-rendered bar charts for the dashboard: geometry computed here, drawn as SVG by
a template (no script, no CDN).

Each series gets a chart of its own with its name as the heading, so nothing depends
on telling colours apart; the tallest bar, today's bar and the axis carry their values
as text, every bar has a ``<title>``, and the figures are also given as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import number_format

from apps.core.dashboard import DailySeries

#: about the width the chart is drawn at on a phone or in a desktop's column of three
#: (300–340 px), so the 11-unit text of dashboard.css is drawn at 11 px or more: a
#: 640-unit chart scaled into 320 px drew its labels 6 px tall
WIDTH = 320
HEIGHT = 170
#: room for the axis labels (left) and the date labels (bottom), and for a value label
#: above the tallest bar (top)
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 18, 28


@dataclass(frozen=True)
class Bar:
    day: date
    value: Decimal
    label: str
    x: float
    y: float
    width: float
    height: float
    #: where its value label goes, and how it hangs from there (labels near the edges
    #: grow inwards, so none is cut off)
    label_x: float
    label_anchor: str
    #: shown as text above the bar (the tallest and the last day's)
    labelled: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class DayLabel:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    unit: str
    bars: list[Bar]
    ticks: list[Tick]
    day_labels: list[DayLabel]
    total_label: str
    #: what the axis counts in, for the caption: the currency, or "" for counts
    unit_label: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    #: the plot area's right edge, for the axis lines
    right: int = WIDTH - RIGHT


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (an axis top people read)."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return Decimal(step) * magnitude
    return Decimal(10) * magnitude  # pragma: no cover - the loop always returns


def _grouped(value: Decimal, places: int) -> str:
    # in the reader's format: 1,234.50 in English, 1 234,50 in Azerbaijani
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_value(value: Decimal, unit: str, currency: str) -> str:
    if unit == "money":
        return f"{_grouped(value, 2)} {currency}"
    return _grouped(value, 0)


def format_axis(value: Decimal) -> str:
    """Axis figures stay short (the unit is in the chart's caption): ``2,000``, ``0.5``."""
    return _grouped(value, 0 if value == value.to_integral_value() else 2)


def bar_chart(series: DailySeries, *, start: date, end: date, currency: str = "AZN") -> BarChart:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    values = [Decimal(series.values.get(day, 0)) for day in days]
    top = nice_ceiling(max(values, default=Decimal(0)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(days)
    tallest = max(range(len(values)), key=lambda n: (values[n], n)) if values else -1
    bars = []
    for n, (day, value) in enumerate(zip(days, values, strict=True)):
        height = float(value / top) * plot_height if top else 0.0
        bars.append(
            Bar(
                day=day,
                value=value,
                label=format_value(value, series.unit, currency),
                x=round(LEFT + n * slot + slot * 0.15, 2),
                y=round(HEIGHT - BOTTOM - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                label_x=round(
                    LEFT + n * slot + (0 if n < 3 else slot if n >= len(days) - 3 else slot / 2),
                    2,
                ),
                label_anchor="start" if n < 3 else "end" if n >= len(days) - 3 else "middle",
                labelled=value > 0 and n in (tallest, len(days) - 1),
            )
        )
    # a count's axis in whole numbers: no middle line at 2.5 visits
    fractions = [
        fraction
        for fraction in (Decimal(0), Decimal("0.5"), Decimal(1))
        if series.unit == "money" or (top * fraction) == (top * fraction).to_integral_value()
    ]
    ticks = [
        Tick(
            y=round(HEIGHT - BOTTOM - plot_height * float(fraction), 2),
            label=format_axis(top * fraction),
        )
        for fraction in fractions
    ]
    # a date under every 7th bar counting back from the last, so today is always named
    day_labels = [
        DayLabel(x=round(LEFT + n * slot + slot / 2, 2), label=f"{days[n]:%d.%m}")
        for n in range(len(days) - 1, -1, -7)
    ]
    return BarChart(
        key=series.key,
        title=series.label,
        unit=series.unit,
        bars=bars,
        ticks=ticks,
        day_labels=day_labels,
        total_label=format_value(sum(values, Decimal(0)), series.unit, currency),
        unit_label=currency if series.unit == "money" else "",
    )
