"""Chargeable work, as billing sees it.

A clinical module that produces work a patient pays for (a consultation fee, a dispensed
medicine, a lab test, bed days) names a ``BillableSource`` in its ``hms_module``
(``billable_sources=("apps.<app>.billing.source",)``, ``apps.core.modules``). Billing asks
every source for a patient's items and puts each on at most one live invoice line
(enforced by billing's database constraint); billing imports no clinical app.

When a source's work is withdrawn (an appointment cancelled), the source calls
``withdraw(source=..., reference=...)``: billing, whose module names the handler
(``Module.invoicing``), removes the item from an unpaid draft or refuses
(``apps.core.exceptions.Conflict``) when it is on an issued invoice, naming the way out
(a credit note).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.utils.module_loading import import_string

from apps.core import modules


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
#: handlers added for a while besides the modules' own (tests stand in for billing)
_withdraw_handlers: list[WithdrawHandler] = []


def register_withdraw_handler(handler: WithdrawHandler) -> None:
    """Add an extra handler of withdrawn work — for tests: billing names its own in its
    ``hms_module`` (``Module.invoicing``)."""
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
    for handler in withdraw_handlers():
        handler(source=source, reference=reference)


def withdraw_handlers() -> list[WithdrawHandler]:
    """Billing's handler (its module's ``invoicing``), then any extra ones."""
    declared = [import_string(answer.withdraw) for answer in modules.invoicing()]
    return [*declared, *_withdraw_handlers]


def items_total(items: Iterable[BillableItem]) -> Decimal:
    return sum((item.amount for item in items), Decimal("0"))


InvoicedChecker = Callable[[list[BillableItem]], set[tuple[str, str]]]
#: checkers added for a while besides the modules' own (tests stand in for billing)
_invoiced_checkers: list[InvoicedChecker] = []


def register_invoiced_checker(checker: InvoicedChecker) -> None:
    """Add an extra checker of invoiced items — for tests: billing names its own in its
    ``hms_module`` (``Module.invoicing``)."""
    if checker not in _invoiced_checkers:
        _invoiced_checkers.append(checker)


def unregister_invoiced_checker(checker: InvoicedChecker) -> None:
    if checker in _invoiced_checkers:
        _invoiced_checkers.remove(checker)


def invoiced_among(items: list[BillableItem]) -> set[tuple[str, str]]:
    """(source, reference) of the ``items`` already on a live invoice line, as billing
    knows it; with no billing installed, none."""
    invoiced: set[tuple[str, str]] = set()
    for checker in invoiced_checkers():
        invoiced |= checker(items)
    return invoiced


def invoiced_checkers() -> list[InvoicedChecker]:
    """Billing's checker (its module's ``invoicing``), then any extra ones."""
    declared = [import_string(answer.invoiced_among) for answer in modules.invoicing()]
    return [*declared, *_invoiced_checkers]
