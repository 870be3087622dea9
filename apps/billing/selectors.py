"""Billing's reads: the price list, a patient's unbilled items, invoice lists,
collections and revenue."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.billing.models import (
    UNPAID_STATUSES,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Service,
)
from apps.core import modules
from apps.core.billable import BillableItem
from apps.core.collation import az_order
from apps.core.exceptions import NotFound
from apps.core.money import ZERO
from apps.core.text import search_fold

# -- price list and unbilled work ---------------------------------------------------------


def service_list(*, active_only: bool = False) -> QuerySet[Service]:
    services = Service.objects.order_by(az_order("name"), "code")
    return services.filter(is_active=True) if active_only else services


def service_get(*, service_id: int | str) -> Service:
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("There is no such service."))
    return service


def sources_by_key() -> dict[str, Any]:
    """Every installed module's billable sources (``BillableSource``) by key."""
    return {source.key: source for source in modules.billable_sources()}


def invoiced_among(items: list[BillableItem]) -> set[tuple[str, str]]:
    """The (source, reference) of those ``items`` that are on a live invoice line."""
    if not items:
        return set()
    return set(
        InvoiceLine.objects.filter(
            is_live=True,
            source__in={item.source for item in items},
            reference__in={item.reference for item in items},
        ).values_list("source", "reference")
    )


def unbilled_items(*, patient_id: uuid.UUID) -> list[BillableItem]:
    """The patient's chargeable items from every source that are on no live invoice
    line, oldest first."""
    items = [
        item
        for source in modules.billable_sources()
        for item in source.items_for(patient_id=patient_id)
    ]
    taken = invoiced_among(items)
    return sorted(
        (item for item in items if (item.source, item.reference) not in taken),
        key=lambda item: item.occurred_at,
    )


# -- invoices -----------------------------------------------------------------------------

#: the list's tabs: key → statuses shown
INVOICE_FILTERS: dict[str, tuple[str, ...]] = {
    "unpaid": tuple(UNPAID_STATUSES),
    "draft": (InvoiceStatus.DRAFT,),
    "paid": (InvoiceStatus.PAID,),
    "closed": (InvoiceStatus.CANCELLED, InvoiceStatus.CREDITED),
    "all": (),
}


def invoice_list(*, state: str = "unpaid", query: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("patient")
    statuses = INVOICE_FILTERS.get(state, ())
    if statuses:
        invoices = invoices.filter(status__in=statuses)
    # each word in the invoice number or the patient's search text (its words are
    # stored apart: apps.core.text.search_text)
    for word, folded in zip(query.split(), search_fold(query).split(), strict=False):
        invoices = invoices.filter(
            Q(number__icontains=word) | Q(patient__search_text__contains=folded)
        )
    if state == "unpaid":
        return invoices.order_by("issued_at")
    return invoices.order_by("-created_at")


def unpaid_total() -> Decimal:
    """What patients owe on issued invoices."""
    figures = Invoice.objects.filter(status__in=UNPAID_STATUSES).aggregate(
        total=Sum("total"), paid=Sum("paid"), written_off=Sum("written_off")
    )
    return (figures["total"] or ZERO) - (figures["paid"] or ZERO) - (figures["written_off"] or ZERO)


def invoice_get(*, invoice_id: uuid.UUID | str) -> Invoice:
    invoice = Invoice.objects.select_related("patient").filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound(_("There is no such invoice."))
    return invoice


def payment_get(*, payment_id: uuid.UUID | str) -> Payment:
    payment = Payment.objects.select_related("invoice__patient").filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("There is no such payment."))
    return payment


def payment_balance_after(*, payment: Payment) -> Decimal:
    """What was still due on the payment's invoice once this payment was received: a
    receipt printed later says what it said on the day, not today's balance."""
    invoice = payment.invoice
    earlier = Q(received_at__lt=payment.received_at) | Q(
        received_at=payment.received_at, receipt_number__lte=payment.receipt_number
    )
    paid = invoice.payments.filter(earlier).aggregate(total=Sum("amount"))["total"] or ZERO
    written_off = (
        invoice.write_offs.filter(created_at__lte=payment.received_at).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )
    return invoice.total - paid - written_off


# -- collections and revenue ----------------------------------------------------------------


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local days ``start``..``end`` (inclusive) as aware datetimes."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def payments_between(*, start: date, end: date) -> QuerySet[Payment]:
    since, until = _day_bounds(start, end)
    return Payment.objects.filter(received_at__gte=since, received_at__lt=until)


@dataclass
class CollectionDay:
    day: date
    #: (method label, cashier id) → amount
    rows: list[tuple[str, uuid.UUID | None, Decimal, int]] = field(default_factory=list)
    total: Decimal = ZERO


@dataclass
class Collections:
    start: date
    end: date
    days: list[CollectionDay]
    by_method: dict[str, Decimal]
    by_cashier: dict[uuid.UUID | None, Decimal]
    total: Decimal
    count: int


def collections(*, start: date, end: date) -> Collections:
    """Money received per local day, by method and cashier, over ``start``..``end``.
    Summed in Python from one query: a day's payments are few, and the local day of a
    payment then needs no database time-zone support."""
    per_day: dict[date, dict[tuple[str, uuid.UUID | None], list[Any]]] = defaultdict(dict)
    by_method: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_cashier: dict[uuid.UUID | None, Decimal] = defaultdict(lambda: ZERO)
    total, count = ZERO, 0
    labels = dict(PaymentMethod.choices)
    payments = payments_between(start=start, end=end).values_list(
        "received_at", "method", "received_by_id", "amount"
    )
    for received_at, method, cashier, amount in payments:
        day = timezone.localdate(received_at)
        cell = per_day[day].setdefault((method, cashier), [ZERO, 0])
        cell[0] += amount
        cell[1] += 1
        by_method[method] += amount
        by_cashier[cashier] += amount
        total += amount
        count += 1
    days = []
    for day in sorted(per_day):
        entry = CollectionDay(day=day)
        for (method, cashier), (amount, number) in sorted(
            per_day[day].items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
        ):
            entry.rows.append((str(labels.get(method, method)), cashier, amount, number))
            entry.total += amount
        days.append(entry)
    return Collections(
        start=start,
        end=end,
        days=days,
        by_method={str(labels[m]): by_method[m] for m in PaymentMethod.values if m in by_method},
        by_cashier=dict(by_cashier),
        total=total,
        count=count,
    )


def revenue_by_day(*, start: date, end: date) -> dict[date, Decimal]:
    """Money received per local day (every day of the range, zero included)."""
    values = {start + timedelta(days=n): ZERO for n in range((end - start).days + 1)}
    for received_at, amount in payments_between(start=start, end=end).values_list(
        "received_at", "amount"
    ):
        day = timezone.localdate(received_at)
        values[day] = values.get(day, ZERO) + amount
    return values
