"""What the staff shell shows a user: the modules they may open and the dashboard's
figures, read from the modules' registry (``apps.core.modules``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from apps.accounts.access import may_use_module
from apps.accounts.rules import may_see_money
from apps.core import modules
from apps.core.dashboard import DailySeries, Tile
from apps.core.modules import Label, MenuEntry, MenuGroup, Module
from apps.tenancy.context import tenant_context

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


def modules_for(*, hospital: Hospital, user: User) -> list[Module]:
    """The modules this user sees: subscribed by the hospital and allowed for the role."""
    return [
        module
        for module in modules.all_modules()
        if hospital.module_enabled(module.key) and may_use_module(user, module)
    ]


# -- the menu -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuLink:
    label: Label
    url_name: str
    #: the page shown belongs here (marked ``aria-current="page"``)
    current: bool = False


@dataclass(frozen=True)
class MenuSection:
    """One area of work as this user sees it: the links of its modules they may use."""

    group: MenuGroup
    links: list[MenuLink]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    @property
    def single(self) -> bool:
        """One link only: the menu shows it directly instead of a dropdown."""
        return len(self.links) == 1


def menu_for(*, hospital: Hospital, user: User, view_name: str = "") -> list[MenuSection]:
    """The staff menu: the user's modules grouped by area of work, groups in their order
    and links in the modules' order; a group none of whose modules they may use is left
    out. ``view_name`` (``"staff:audit"``) is the page shown: the entry with that very
    URL name is current, otherwise its module's own entry."""
    namespace = view_name.partition(":")[0] if ":" in view_name else ""
    placed: list[tuple[MenuEntry, bool]] = []
    for module in modules_for(hospital=hospital, user=user):
        exact = any(entry.url_name == view_name for entry in module.entries)
        for position, entry in enumerate(module.entries):
            current = (
                entry.url_name == view_name if exact else position == 0 and namespace == module.key
            )
            placed.append((entry, current))
    sections: dict[str, MenuSection] = {}
    for entry, current in sorted(
        placed, key=lambda item: (item[0].group.order, item[0].order, str(item[0].label))
    ):
        section = sections.setdefault(entry.group.key, MenuSection(entry.group, []))
        section.links.append(MenuLink(entry.label, entry.url_name, current))
    return list(sections.values())


# -- the dashboard ------------------------------------------------------------------------

CHART_DAYS = 30

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DashboardFigures:
    tiles: list[Tile]
    series: list[DailySeries]
    start: date
    end: date
    #: some provider failed: its figures are missing (logged), the rest are shown
    incomplete: bool = False


def _shown_to(user_modules: set[str], key: str) -> bool:
    """A tile's or a series' key starts with its module's key (``"pharmacy.stock"``):
    shown only when that module is one the user may open in this hospital (a hospital
    without a pharmacy shows no pharmacy tile; the front desk sees no laboratory's
    figures). A key naming no installed module is the provider's own business."""
    module_key = key.partition(".")[0]
    return module_key in user_modules or modules.module_for_namespace(module_key) is None


def dashboard_figures(*, hospital: Hospital, user: User, today: date) -> DashboardFigures:
    """Every module's tiles for this user and the 30-day series up to ``today``, each
    provider run in the hospital's tenant context. A provider that fails is logged and
    left out, so one module's bug does not take the dashboard down. Only figures of
    modules the hospital has and the user may open are shown, whatever a provider
    returns."""
    user_modules = {module.key for module in modules_for(hospital=hospital, user=user)}
    start = today - timedelta(days=CHART_DAYS - 1)
    tiles: list[Tile] = []
    series: list[DailySeries] = []
    incomplete = False
    for tiles_of in modules.dashboard_tile_providers():
        try:
            with tenant_context(hospital):
                tiles.extend(tiles_of(hospital=hospital, user=user, today=today))
        except Exception:
            logger.exception("dashboard tiles provider %r failed", tiles_of)
            incomplete = True
    # providers of series are not told the user: the dashboard decides by the unit
    money_shown = may_see_money(user)
    for series_of in modules.dashboard_series_providers():
        try:
            with tenant_context(hospital):
                provided = list(series_of(start=start, end=today))
        except Exception:
            logger.exception("dashboard series provider %r failed", series_of)
            incomplete = True
            continue
        series.extend(
            s
            for s in provided
            if (s.unit != "money" or money_shown) and _shown_to(user_modules, s.key)
        )
    tiles = [tile for tile in tiles if _shown_to(user_modules, tile.key)]
    return DashboardFigures(
        tiles=sorted(tiles, key=lambda tile: (tile.order, tile.title)),
        series=series,
        start=start,
        end=today,
        incomplete=incomplete,
    )
