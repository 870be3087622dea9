from __future__ import annotations

from decimal import Decimal

from apps.accounts.models import Role
from apps.core.modules import dashboard_series_providers, dashboard_tile_providers
from apps.pharmacy.dashboard import series, tiles
from apps.pharmacy.tests.factories import in_days, make_medicine, receive, sell, today
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def test_the_pharmacist_sees_low_stock_expiring_and_expired_counts(hospital_a: Hospital) -> None:
    assert tiles in dashboard_tile_providers() and series in dashboard_series_providers()
    low = make_medicine(hospital_a, reorder_level=50)
    receive(hospital_a, low, ("SOON", in_days(10), 5))
    receive(hospital_a, low, ("GONE", in_days(-1), 100), on=in_days(-200))
    plenty = make_medicine(hospital_a, generic_name="Ibuprofen", reorder_level=5)
    receive(hospital_a, plenty, ("FAR", in_days(400), 100))
    pharmacist = make_user(hospital_a, Role.PHARMACIST)
    with tenant_context(hospital_a):
        [tile] = tiles(hospital=hospital_a, user=pharmacist, today=today())
    figures = {figure.label: figure.value for figure in tile.figures}
    assert figures == {
        "Low stock": "1",
        "Expiring within 30 days": "1",
        "Expired, still in stock": "1",
    }
    assert [figure.url for figure in tile.figures] == [
        "/pharmacy/stock/low/",
        "/pharmacy/stock/expiring/",
        "/pharmacy/stock/expired/",
    ]


def test_other_roles_get_no_pharmacy_tile(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        for role in (Role.RECEPTIONIST, Role.DOCTOR, Role.ACCOUNTANT):
            user = make_user(hospital_a, role)
            assert tiles(hospital=hospital_a, user=user, today=today()) == []


def test_daily_sales_are_net_of_returns(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a, sale_price=Decimal("2.00"))
    receive(hospital_a, medicine, ("B1", in_days(100), 10))
    sell(hospital_a, (medicine, 3))
    sell(hospital_a, (medicine, 1))
    with tenant_context(hospital_a):
        [daily] = series(start=in_days(-29), end=today())
    assert daily.unit == "money" and daily.values == {today(): Decimal("8.00")}
