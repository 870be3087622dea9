"""The pharmacist's tile (low stock, expiring, expired) and daily sales for the chart."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.rules import may_act_as
from apps.core.dashboard import DailySeries, Figure, Tile
from apps.pharmacy.links import hospital_url
from apps.pharmacy.models import Sale
from apps.pharmacy.selectors import EXPIRING_DAYS, batches_expired, batches_expiring, low_stock
from apps.tenancy.models import Hospital

#: who sees the stock tile (hospital administrators see everything)
TILE_ROLES = frozenset({Role.PHARMACIST})


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not may_act_as(user, TILE_ROLES):
        return []
    return [
        Tile(
            key="pharmacy.stock",
            title=_("Pharmacy stock"),
            url=hospital_url("pharmacy:medicines"),
            order=40,
            figures=[
                Figure(
                    _("Low stock"),
                    str(low_stock(today=today).count()),
                    hospital_url("pharmacy:low_stock"),
                ),
                Figure(
                    _("Expiring within %(days)d days") % {"days": EXPIRING_DAYS},
                    str(batches_expiring(today=today).count()),
                    hospital_url("pharmacy:expiring"),
                ),
                Figure(
                    _("Expired, still in stock"),
                    str(batches_expired(today=today).count()),
                    hospital_url("pharmacy:expired"),
                ),
            ],
        )
    ]


def series(*, start: date, end: date) -> list[DailySeries]:
    """Pharmacy takings per day (net of returns, by the day of the sale)."""
    rows = (
        Sale.objects.annotate(day=TruncDate("sold_at"))
        .filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(net=Sum("net_amount"), refunded=Sum("refunded_amount"))
    )
    values: dict[date, Decimal] = defaultdict(Decimal)
    for row in rows:
        values[row["day"]] += row["net"] - row["refunded"]
    return [
        DailySeries(
            key="pharmacy.sales", label=_("Pharmacy sales"), values=dict(values), unit="money"
        )
    ]
