"""The bed-day census counts the hospital's midnights, not UTC's: a night in a Baku bed
from 23:00 to 01:00 local time (19:00–21:00 UTC) crosses a midnight there, while the
same hours in New York (14:00–16:00) cross none."""

from __future__ import annotations

from datetime import UTC, date, datetime

from apps.admissions.billing import midnights
from apps.tenancy.context import tenant_context
from conftest import HospitalFactory

EVENING_UTC = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
LATER_UTC = datetime(2026, 12, 7, 21, 0, tzinfo=UTC)


def test_bed_days_are_counted_at_each_hospitals_own_midnight(
    make_hospital: HospitalFactory,
) -> None:
    baku = make_hospital(subdomain="baku", time_zone="Asia/Baku")
    new_york = make_hospital(subdomain="hudson", time_zone="America/New_York")
    with tenant_context(baku):
        assert midnights(started_at=EVENING_UTC, ended_at=LATER_UTC) == [date(2026, 12, 8)]
    with tenant_context(new_york):
        assert midnights(started_at=EVENING_UTC, ended_at=LATER_UTC) == []
