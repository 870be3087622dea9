"""Which of a patient's billable items are not on an invoice yet.

Every registered billable source lists a patient's chargeable items; whether one is on
an invoice only billing knows. Billing registers an *invoiced checker* here (in its
``ready()``): ``checker(items) -> set[(source, reference)]`` of the items already on a
live invoice line. Until one is registered every item counts as unbilled, so with the
hospital's "allow discharge with unbilled services" off, discharge waits for billing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from apps.core.billable import BillableItem
from apps.tenancy.registry import billable_sources

InvoicedChecker = Callable[[list[BillableItem]], set[tuple[str, str]]]
_checkers: list[InvoicedChecker] = []


def register_invoiced_checker(checker: InvoicedChecker) -> None:
    if checker not in _checkers:
        _checkers.append(checker)


def unregister_invoiced_checker(checker: InvoicedChecker) -> None:
    if checker in _checkers:
        _checkers.remove(checker)


def unbilled_items(
    *, patient_id: uuid.UUID, excluding: Iterable[tuple[str, str]] = ()
) -> list[BillableItem]:
    """The patient's items of every source that no invoice holds, minus ``excluding``
    ((source, reference) pairs)."""
    skipped = set(excluding)
    items = [
        item
        for source in billable_sources()
        for item in source.items_for(patient_id=patient_id)
        if (item.source, item.reference) not in skipped
    ]
    invoiced: set[tuple[str, str]] = set()
    for checker in _checkers:
        invoiced |= checker(items)
    return [item for item in items if (item.source, item.reference) not in invoiced]
