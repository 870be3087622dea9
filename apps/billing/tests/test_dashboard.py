from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Role
from apps.billing.dashboard import series, tiles
from apps.billing.services import invoice_create, invoice_issue, item_key, payment_record
from apps.billing.tests.conftest import FakeSource
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def takings(hospital: Hospital, work: FakeSource) -> None:
    patient = register(hospital)
    with tenant_context(hospital):
        item = work.add(patient, unit_price="100.00")
        invoice = invoice_issue(
            hospital=hospital, invoice=invoice_create(patient=patient, item_keys=[item_key(item)])
        )
        payment_record(hospital=hospital, invoice=invoice, method="cash", amount=Decimal("30"))
        payment_record(hospital=hospital, invoice=invoice, method="card", amount=Decimal("45.5"))


def test_accountants_see_todays_revenue_by_method_and_the_unpaid_total(
    hospital_a: Hospital, work: FakeSource
) -> None:
    takings(hospital_a, work)
    accountant = make_user(hospital_a, Role.ACCOUNTANT)
    with tenant_context(hospital_a):
        (tile,) = tiles(hospital=hospital_a, user=accountant, today=timezone.localdate())
    figures = {figure.label: figure.value for figure in tile.figures}
    assert figures == {
        "Received today": "75.50\xa0AZN",
        "Cash": "30.00\xa0AZN",
        "Card": "45.50\xa0AZN",
        "Unpaid invoices": "24.50\xa0AZN",
    }


def test_the_front_desk_and_clinicians_get_no_money_tile(hospital_a: Hospital) -> None:
    for role in (Role.RECEPTIONIST, Role.DOCTOR):
        with tenant_context(hospital_a):
            user = make_user(hospital_a, role)
            assert tiles(hospital=hospital_a, user=user, today=timezone.localdate()) == []


def test_revenue_per_day_feeds_the_chart_unless_billing_is_not_subscribed(
    hospital_a: Hospital, work: FakeSource
) -> None:
    takings(hospital_a, work)
    today = timezone.localdate()
    with tenant_context(hospital_a):
        (revenue,) = series(start=today, end=today)
    assert revenue.unit == "money" and revenue.values == {today: Decimal("75.50")}
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "billing"]
    hospital_a.save()
    with tenant_context(hospital_a):
        assert series(start=today, end=today) == []


def test_the_accountants_dashboard_shows_the_revenue_tile_and_chart(
    hospital_a: Hospital, work: FakeSource
) -> None:
    takings(hospital_a, work)
    page = hospital_client(hospital_a, make_user(hospital_a, Role.ACCOUNTANT)).get("/").text
    assert "Revenue today" in page and "75.50\xa0AZN" in page
    assert 'id="chart-billingrevenue"' in page
