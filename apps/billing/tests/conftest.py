"""Billing is tested against a fake billable source (billing imports no clinical app):
``work`` replaces every installed source for the test."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.billable import BillableItem
from apps.patients.models import Patient

_references = itertools.count(1)


class FakeSource:
    """Chargeable work kept in memory, as a clinical module's source would report it."""

    def __init__(self, key: str = "fake.work", label: str = "Fake work") -> None:
        self.key, self.label = key, label
        self.items: dict[str, BillableItem] = {}

    def add(
        self,
        patient: Patient | uuid.UUID,
        description: str = "Consultation",
        unit_price: str = "40.00",
        quantity: str = "1",
        occurred_at: datetime | None = None,
        reference: str = "",
    ) -> BillableItem:
        item = BillableItem(
            source=self.key,
            reference=reference or f"ref-{next(_references)}",
            patient_id=patient.pk if isinstance(patient, Patient) else patient,
            description=description,
            quantity=Decimal(quantity),
            unit_price=Decimal(unit_price),
            occurred_at=occurred_at or timezone.now(),
        )
        self.items[item.reference] = item
        return item

    def withdraw(self, item: BillableItem) -> None:
        self.items.pop(item.reference, None)

    def items_for(self, *, patient_id: uuid.UUID) -> list[BillableItem]:
        return [item for item in self.items.values() if item.patient_id == patient_id]

    def item(self, *, reference: str) -> BillableItem | None:
        return self.items.get(reference)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    source = FakeSource()
    monkeypatch.setattr("apps.core.modules.billable_sources", lambda: [source])
    return source
