"""Which of a patient's billable items are not on an invoice yet.

Every module's billable source lists a patient's chargeable items; whether one is on
an invoice only billing knows, and says so through ``apps.core.billable.invoiced_among``
(billing declares its answer in its module, ``apps.core.modules.Invoicing``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from apps.core.billable import BillableItem, invoiced_among
from apps.core.modules import billable_sources


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
    invoiced = invoiced_among(items)
    return [item for item in items if (item.source, item.reference) not in invoiced]
