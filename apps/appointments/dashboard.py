"""The reception's tile on the dashboard: today's appointments by status and the patients
waiting; and the visits of each day for the 30-day chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.rules import may_act_as
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.selectors import day_counts
from apps.core.dashboard import DailySeries, Figure, Tile
from apps.tenancy.models import Hospital

#: who sees the reception tile (hospital administrators see everything)
TILE_ROLES = frozenset({Role.RECEPTIONIST})


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not may_act_as(user, TILE_ROLES):
        return []
    board = reverse("appointments:today")
    counts = day_counts(day=today)
    figures = [
        Figure(
            label=_("Patients waiting"),
            value=str(counts[AppointmentStatus.CHECKED_IN]),
            url=f"{board}?{urlencode({'status': AppointmentStatus.CHECKED_IN})}",
        )
    ]
    figures += [
        Figure(
            label=str(status.label),
            value=str(counts[status]),
            url=f"{board}?{urlencode({'status': status.value})}",
        )
        for status in AppointmentStatus
    ]
    return [
        Tile(
            key="appointments.today",
            title=_("Today's appointments"),
            figures=figures,
            url=board,
            order=20,
        )
    ]


def series(*, start: date, end: date) -> list[DailySeries]:
    """Completed visits per day in [start, end]."""
    rows = (
        Appointment.objects.filter(
            status=AppointmentStatus.COMPLETED, date__gte=start, date__lte=end
        )
        .values_list("date")
        .annotate(n=Count("id"))
        .values_list("date", "n")
    )
    return [
        DailySeries(
            key="appointments.visits",
            label=_("Visits"),
            values={day: Decimal(n) for day, n in rows},
            unit="count",
        )
    ]
