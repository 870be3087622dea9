"""Ordered lab tests as billing sees them: each order line (a panel or a single test)
is one item at the price it was ordered at, chargeable from the moment it is ordered
until the order is cancelled (the cancel withdraws it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.billable import BillableItem
from apps.core.names import display_name
from apps.laboratory.models import LabOrderLine, OrderStatus
from apps.laboratory.services import LAB_TEST_SOURCE


def _chargeable() -> QuerySet[LabOrderLine]:
    return LabOrderLine.objects.select_related("order", "panel", "test").exclude(
        order__status=OrderStatus.CANCELLED
    )


def _item(line: LabOrderLine) -> BillableItem:
    return BillableItem(
        source=LAB_TEST_SOURCE,
        reference=str(line.pk),
        patient_id=line.order.patient_id,
        description=_("Lab: %(test)s (%(order)s)")
        % {"test": display_name(line, "description"), "order": line.order.number},
        quantity=Decimal(1),
        unit_price=line.price,
        occurred_at=line.order.created_at,
    )


class LabTestSource:
    key = LAB_TEST_SOURCE
    label = gettext_lazy("Lab test")

    def items_for(self, *, patient_id: uuid.UUID) -> Iterable[BillableItem]:
        lines = _chargeable().filter(order__patient_id=patient_id)
        return [_item(line) for line in lines.order_by("order__created_at", "position")]

    def item(self, *, reference: str) -> BillableItem | None:
        try:
            line_id = uuid.UUID(reference)
        except ValueError:
            return None
        line = _chargeable().filter(pk=line_id).first()
        return _item(line) if line else None


source = LabTestSource()
