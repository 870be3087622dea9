"""Chargeable work, as billing sees it.

A clinical app that produces work a patient pays for (a consultation fee, a dispensed
medicine, a lab test, bed days) declares a ``BillableSource`` in its AppConfig
(``billable_sources = ("apps.<app>.billing.source",)``). Billing asks every source for a
patient's items and puts each on at most one live invoice line (enforced by billing's
database constraint); billing imports no clinical app.

When a source's work is withdrawn (an appointment cancelled), the source calls
``withdraw(source=..., reference=...)``: billing, registered as the handler, removes the
item from an unpaid draft or refuses (``apps.core.exceptions.Conflict``) when it is on an
issued invoice, naming the way out (a credit note).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class BillableItem:
    #: the source's key (``BillableSource.key``)
    source: str
    #: the source row's id, as text: (source, reference) names the item for good
    reference: str
    patient_id: uuid.UUID
    description: str
    quantity: Decimal
    unit_price: Decimal
    occurred_at: datetime

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


class BillableSource(Protocol):
    #: stable key stored on invoice lines, e.g. ``"appointments.consultation"``
    key: str
    #: what the source is, for people ("Consultation")
    label: str

    def items_for(self, *, patient_id: uuid.UUID) -> Iterable[BillableItem]:
        """Every chargeable item of the patient in the selected hospital; billing leaves
        out those already on a live invoice line."""
        ...

    def item(self, *, reference: str) -> BillableItem | None:
        """One item by reference (None when it no longer exists or is not chargeable)."""
        ...


WithdrawHandler = Callable[..., None]
_withdraw_handlers: list[WithdrawHandler] = []


def register_withdraw_handler(handler: WithdrawHandler) -> None:
    """Billing registers here (in its ``ready()``) to hear of withdrawn work."""
    if handler not in _withdraw_handlers:
        _withdraw_handlers.append(handler)


def unregister_withdraw_handler(handler: WithdrawHandler) -> None:
    if handler in _withdraw_handlers:
        _withdraw_handlers.remove(handler)


def withdraw(*, source: str, reference: str) -> None:
    """The source's work is withdrawn: let billing drop it from a draft, or refuse.

    Call inside the transaction that withdraws the work, so a refusal (Conflict) rolls
    both back.
    """
    for handler in _withdraw_handlers:
        handler(source=source, reference=reference)


def items_total(items: Iterable[BillableItem]) -> Decimal:
    return sum((item.amount for item in items), Decimal("0"))


InvoicedChecker = Callable[[list[BillableItem]], set[tuple[str, str]]]
_invoiced_checkers: list[InvoicedChecker] = []


def register_invoiced_checker(checker: InvoicedChecker) -> None:
    """Billing registers here (in its ``ready()``) to say which items are on an invoice."""
    if checker not in _invoiced_checkers:
        _invoiced_checkers.append(checker)


def unregister_invoiced_checker(checker: InvoicedChecker) -> None:
    if checker in _invoiced_checkers:
        _invoiced_checkers.remove(checker)


def invoiced_among(items: list[BillableItem]) -> set[tuple[str, str]]:
    """(source, reference) of the ``items`` already on a live invoice line, as billing
    knows it; with no billing installed, none."""
    invoiced: set[tuple[str, str]] = set()
    for checker in _invoiced_checkers:
        invoiced |= checker(items)
    return invoiced
