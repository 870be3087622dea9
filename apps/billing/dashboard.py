"""Billing's figures on the staff dashboard: today's revenue by method and what is owed
(accountants and administrators), and revenue per day for the 30-day chart."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse as django_reverse
from django.utils.translation import gettext as _

from apps.accounts.rules import may_see_money
from apps.billing.formatting import money_display
from apps.billing.selectors import collections, revenue_by_day, unpaid_total
from apps.core.dashboard import DailySeries, Figure, Tile
from apps.tenancy.context import current_hospital

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


def reverse(name: str) -> str:
    """A hospital page's path, also outside a request (a provider may run anywhere)."""
    return django_reverse(name, urlconf=settings.HMS_HOSPITAL_URLCONF)


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("billing"):
        return []
    if not may_see_money(user):
        return []
    received = collections(start=today, end=today)
    url = reverse("billing:collections") + f"?start={today.isoformat()}&end={today.isoformat()}"
    figures = [Figure(_("Received today"), money_display(received.total, hospital), url)]
    figures += [
        Figure(method, money_display(amount, hospital), url)
        for method, amount in received.by_method.items()
    ]
    figures.append(
        Figure(
            _("Unpaid invoices"),
            money_display(unpaid_total(), hospital),
            reverse("billing:invoices") + "?state=unpaid",
        )
    )
    return [
        Tile(
            key="billing.revenue",
            title=_("Revenue today"),
            figures=figures,
            url=reverse("billing:invoices"),
            order=40,
        )
    ]


def series(*, start: date, end: date) -> list[DailySeries]:
    hospital = current_hospital()
    if hospital is None or not hospital.module_enabled("billing"):
        return []
    return [
        DailySeries(
            key="billing.revenue",
            label=_("Revenue"),
            values=revenue_by_day(start=start, end=end),
            unit="money",
        )
    ]
