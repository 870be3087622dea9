"""What modules contribute to the staff dashboard.

An app declares ``dashboard_tiles = "apps.<app>.dashboard.tiles"`` (and optionally
``dashboard_series``) in its AppConfig; the dashboard asks each provider and shows what
comes back. Providers run in the selected hospital's context and decide themselves what
the user's role may see (return ``[]`` otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """One labelled figure of a tile: ``Checked in: 4``."""

    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    url: str = ""
    order: int = 100


@dataclass(frozen=True)
class DailySeries:
    """A figure per day for the 30-day chart (visits, revenue ...)."""

    key: str
    label: str
    values: dict[date, Decimal]
    #: "count" or "money", so the chart formats its axis
    unit: str = "count"
