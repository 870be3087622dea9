"""The dashboard is built from the modules' providers; here they are fakes, so these tests
do not depend on which clinical modules are installed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.core.dashboard import DailySeries, Figure, Tile
from apps.shell.charts import bar_chart, nice_ceiling
from apps.tenancy.context import current_hospital
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

calls: list[dict[str, Any]] = []


def reception_tiles(*, hospital: Hospital, user: Any, today: date) -> list[Tile]:
    calls.append({"hospital": hospital, "user": user, "today": today, "tenant": current_hospital()})
    if user.role not in (Role.RECEPTIONIST, Role.HOSPITAL_ADMIN):
        return []
    return [
        Tile(
            key="appointments.today",
            title="Appointments today",
            figures=[
                Figure("Checked in", "4", "/appointments/?status=checked_in"),
                Figure("Waiting", "2"),
            ],
            order=20,
        )
    ]


def money_tiles(*, hospital: Hospital, user: Any, today: date) -> list[Tile]:
    if user.role not in (Role.ACCOUNTANT, Role.HOSPITAL_ADMIN):
        return []
    return [
        Tile(
            key="billing.revenue",
            title="Revenue today",
            figures=[Figure("Cash", "120.00 AZN")],
            order=40,
        )
    ]


def broken_tiles(**_: Any) -> list[Tile]:
    raise RuntimeError("a module's bug")


def visits_and_revenue(*, start: date, end: date) -> list[DailySeries]:
    assert current_hospital() is not None  # run in the hospital's tenant context
    return [
        DailySeries(
            key="appointments.visits", label="Visits", values={end: Decimal(7), start: Decimal(3)}
        ),
        DailySeries(
            key="billing.revenue",
            label="Revenue",
            values={end: Decimal("250.50"), end - timedelta(days=1): Decimal("99.99")},
            unit="money",
        ),
    ]


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> None:
    calls.clear()
    monkeypatch.setattr(
        "apps.core.modules.dashboard_tile_providers", lambda: [money_tiles, reception_tiles]
    )
    monkeypatch.setattr(
        "apps.core.modules.dashboard_series_providers", lambda: [visits_and_revenue]
    )


def client_as(hospital: Hospital, role: str) -> Client:
    return hospital_client(hospital, make_user(hospital, role))


def test_an_administrator_sees_every_tile_in_order_and_both_charts(
    hospital_a: Hospital, client_a: Client, providers: None
) -> None:
    page = client_a.get("/").text
    assert page.index("Appointments today") < page.index("Revenue today")
    assert 'href="/appointments/?status=checked_in"' in page and "120.00 AZN" in page
    assert 'id="chart-appointmentsvisits"' in page and 'id="chart-billingrevenue"' in page
    assert page.count("<svg") == 2
    # the module links stay
    assert 'href="/patients/"' in page


def test_providers_get_the_hospital_the_user_and_today_in_the_tenant_context(
    hospital_a: Hospital, client_a: Client, providers: None
) -> None:
    client_a.get("/")
    (call,) = calls
    assert call["hospital"] == hospital_a and call["tenant"] == hospital_a
    assert call["user"].role == Role.HOSPITAL_ADMIN and call["today"] == timezone.localdate()


def test_each_role_sees_its_own_tiles_and_money_only_for_accountants(
    hospital_a: Hospital, providers: None
) -> None:
    reception = client_as(hospital_a, Role.RECEPTIONIST).get("/").text
    assert "Appointments today" in reception and "Revenue today" not in reception
    assert 'id="chart-appointmentsvisits"' in reception and "chart-billingrevenue" not in reception
    accounts = client_as(hospital_a, Role.ACCOUNTANT).get("/").text
    assert "Revenue today" in accounts and "Appointments today" not in accounts
    assert 'id="chart-billingrevenue"' in accounts


def test_the_chart_reads_without_colour(
    hospital_a: Hospital, client_a: Client, providers: None
) -> None:
    page = client_a.get("/").text
    # named by its heading, values written on the bars and in a table, no script or CDN
    assert "Revenue (AZN), last 30 days" in page and "350.49 AZN from" in page
    assert re.search(r'<text class="value"[^>]*>250\.50 AZN</text>', page)
    assert "<title>" in page and "Figures per day" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from elsewhere


def test_a_failing_provider_leaves_the_rest_of_the_dashboard(
    hospital_a: Hospital, client_a: Client, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(
        "apps.core.modules.dashboard_tile_providers", lambda: [broken_tiles, reception_tiles]
    )
    monkeypatch.setattr("apps.core.modules.dashboard_series_providers", lambda: [])
    response = client_a.get("/")
    assert response.status_code == 200
    assert "Appointments today" in response.text and "could not be loaded" in response.text
    assert "a module's bug" in caplog.text


def test_without_providers_the_dashboard_still_lists_the_modules(
    hospital_a: Hospital, client_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("apps.core.modules.dashboard_tile_providers", lambda: [])
    monkeypatch.setattr("apps.core.modules.dashboard_series_providers", lambda: [])
    page = client_a.get("/").text
    assert "<svg" not in page and 'href="/patients/"' in page


def test_the_dashboard_refuses_post_and_another_hospitals_user(
    hospital_a: Hospital, admin_b: Any, client_a: Client, providers: None
) -> None:
    assert client_a.post("/").status_code == 405
    assert hospital_client(hospital_a, admin_b).get("/").status_code == 403


# -- the chart's geometry ------------------------------------------------------------------------


def test_axis_tops_are_round_numbers_people_read() -> None:
    assert [nice_ceiling(Decimal(v)) for v in ("0", "1", "7", "12", "250.5", "999", "1001")] == [
        Decimal(1),
        Decimal(1),
        Decimal(10),
        Decimal(20),
        Decimal(500),
        Decimal(1000),
        Decimal(2000),
    ]


def test_bars_scale_to_the_axis_top_and_missing_days_are_zero() -> None:
    end = date(2026, 11, 29)
    start = end - timedelta(days=29)
    series = DailySeries(key="v", label="Visits", values={end: Decimal(10), start: Decimal(5)})
    chart = bar_chart(series, start=start, end=end)
    assert len(chart.bars) == 30
    first, middle, last = chart.bars[0], chart.bars[15], chart.bars[-1]
    assert last.height == pytest.approx(2 * first.height) and middle.height == 0
    assert last.y + last.height == chart.baseline
    assert [t.label for t in chart.ticks] == ["0", "5", "10"]
    assert last.labelled and not first.labelled  # the tallest (and today) carry their value
    assert chart.day_labels[0].label == "29.11" and chart.total_label == "15"
    assert all(b.x + b.width <= chart.right for b in chart.bars)


def test_money_is_labelled_with_the_currency() -> None:
    day = date(2026, 11, 29)
    series = DailySeries(key="r", label="Revenue", values={day: Decimal("1234.5")}, unit="money")
    chart = bar_chart(series, start=day, end=day, currency="USD")
    assert chart.bars[0].label == "1,234.50 USD" and chart.unit_label == "USD"
    assert [tick.label for tick in chart.ticks] == ["0", "1,000", "2,000"]


def test_value_labels_near_the_edges_grow_inwards() -> None:
    end = date(2026, 11, 29)
    start = end - timedelta(days=29)
    values = {start: Decimal(9), end: Decimal(9)}
    chart = bar_chart(DailySeries(key="v", label="Visits", values=values), start=start, end=end)
    first, last = chart.bars[0], chart.bars[-1]
    assert (first.label_anchor, last.label_anchor) == ("start", "end")
    assert first.label_x == first.x - (first.x - chart.left) and last.label_x <= chart.right


def test_a_count_axis_reads_in_whole_numbers() -> None:
    day = date(2026, 12, 1)
    series = DailySeries(key="v", label="Visits", values={day: Decimal(4)})
    chart = bar_chart(series, start=day, end=day)
    assert [tick.label for tick in chart.ticks] == ["0", "5"]  # no 2.5 visits
