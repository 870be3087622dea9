"""Billing is tested against a fake billable source (billing imports no clinical app):
``work`` replaces every installed source for the test."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.billing.models import Invoice
from apps.billing.services import invoice_create, invoice_issue, item_key
from apps.core.billable import BillableItem
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

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


# -- shared by the view tests (test_views_*.py) ----------------------------------------

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def patient(hospital_a: Hospital) -> Patient:
    return register(hospital_a)


@pytest.fixture
def accountant(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.ACCOUNTANT, "Aysel Quliyeva")


@pytest.fixture
def accountant_a(hospital_a: Hospital, accountant: User) -> Client:
    return hospital_client(hospital_a, accountant)


@pytest.fixture
def receptionist_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


def draft(hospital: Hospital, work: FakeSource, patient: Patient, *prices: str) -> Invoice:
    with tenant_context(hospital):
        items = [work.add(patient, f"Visit {n}", p) for n, p in enumerate(prices or ["40.00"])]
        return invoice_create(patient=patient, item_keys=[item_key(i) for i in items])


def issued(hospital: Hospital, work: FakeSource, patient: Patient, *prices: str) -> Invoice:
    invoice = draft(hospital, work, patient, *prices)
    with tenant_context(hospital):
        return invoice_issue(hospital=hospital, invoice=invoice)


def fresh(hospital: Hospital, invoice: Invoice) -> Invoice:
    with tenant_context(hospital):
        return Invoice.objects.get(pk=invoice.pk)


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text
