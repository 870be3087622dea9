"""The medication record of orders: when each dose of a doctor's order on the
admission is due.

The rule: the first dose is due at the order's start (its "first dose now" is the
moment it was ordered), then one every interval of its frequency — 24 hours for once
daily and at night, 12 for twice, 8 for three times, 6 for four times a day, N for
every N hours — until the course ends (start + its days), the order is stopped, or the
patient is discharged. No dose is due while the order is on hold. An as-needed order
has no schedule: each dose is recorded when it is given.

So a once-daily order started 16:48 with the first dose now is due at 16:48, and at
16:48 each day after. Times are absolute (the hospital's clock shows them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from apps.admissions.models import Admission, MedicationOrder, OrderHold
from apps.consultations.models import Frequency

INTERVAL_HOURS = {
    Frequency.ONCE_DAILY: 24,
    Frequency.TWICE_DAILY: 12,
    Frequency.THREE_TIMES_DAILY: 8,
    Frequency.FOUR_TIMES_DAILY: 6,
    Frequency.AT_NIGHT: 24,
}


def interval_of(order: MedicationOrder) -> timedelta | None:
    """The time between two doses; None for an as-needed order."""
    if order.frequency_code == Frequency.EVERY_HOURS:
        return timedelta(hours=order.every_hours) if order.every_hours else None
    hours = INTERVAL_HOURS.get(Frequency(order.frequency_code)) if order.frequency_code else None
    return timedelta(hours=hours) if hours else None


def order_end(order: MedicationOrder, admission: Admission) -> datetime:
    """The moment after which no dose of the order is due."""
    end = order.starts_at + timedelta(days=order.duration_days)
    for limit in (order.stopped_at, admission.discharged_at):
        if limit is not None:
            end = min(end, limit)
    return end


def _held(at: datetime, holds: Iterable[OrderHold]) -> bool:
    return any(h.started_at <= at and (h.ended_at is None or at < h.ended_at) for h in holds)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def order_due_times(
    order: MedicationOrder,
    admission: Admission,
    *,
    start: datetime,
    end: datetime,
    holds: Sequence[OrderHold] = (),
) -> list[datetime]:
    """The order's doses due in [start, end), not counting those inside a hold."""
    interval = interval_of(order)
    if interval is None:
        return []
    last = min(end, order_end(order, admission))
    first_k = max(0, math.ceil((start - order.starts_at) / interval))
    times = []
    k = first_k
    while (at := order.starts_at + k * interval) < last:
        if at >= start and not _held(at, holds):
            times.append(at)
        k += 1
    return times


def order_doses_of_day(
    order: MedicationOrder, admission: Admission, *, day: date, holds: Sequence[OrderHold] = ()
) -> list[datetime]:
    start, end = day_bounds(day)
    return order_due_times(order, admission, start=start, end=end, holds=holds)


def is_due(
    order: MedicationOrder, admission: Admission, at: datetime, holds: Sequence[OrderHold] = ()
) -> bool:
    """Whether a dose of the order is due at exactly ``at``."""
    return at in order_due_times(
        order, admission, start=at, end=at + timedelta(seconds=1), holds=holds
    )
