"""What the staff shell shows a user: the modules they may open and the dashboard's
figures, read from the modules' registry (``apps.core.modules``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from apps.accounts.access import may_act_as, may_use_module
from apps.core import modules
from apps.core.dashboard import DailySeries, Tile
from apps.core.modules import Module
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


# -- the dashboard ------------------------------------------------------------------------

#: who sees money series (revenue) on the dashboard chart besides hospital administrators;
#: providers of series are not told the user, so the dashboard decides by the unit
MONEY_SERIES_ROLES = frozenset({"accountant"})
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


def dashboard_figures(*, hospital: Hospital, user: User, today: date) -> DashboardFigures:
    """Every module's tiles for this user and the 30-day series up to ``today``, each
    provider run in the hospital's tenant context. A provider that fails is logged and
    left out, so one module's bug does not take the dashboard down."""
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
    may_see_money = may_act_as(user, MONEY_SERIES_ROLES)
    for series_of in modules.dashboard_series_providers():
        try:
            with tenant_context(hospital):
                provided = list(series_of(start=start, end=today))
        except Exception:
            logger.exception("dashboard series provider %r failed", series_of)
            incomplete = True
            continue
        series.extend(s for s in provided if s.unit != "money" or may_see_money)
    return DashboardFigures(
        tiles=sorted(tiles, key=lambda tile: (tile.order, tile.title)),
        series=series,
        start=start,
        end=today,
        incomplete=incomplete,
    )
