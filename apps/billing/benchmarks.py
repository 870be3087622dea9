"""``manage.py benchmark clinic``: invoicing a patient with 20 unbilled items, measured
as server time of the real pages (the full middleware stack, in process, DEBUG off).

The 20 items come from a synthetic billable source that reads the database the way a
clinical module's source does (one query per ``items_for``), so the figure does not
depend on which clinical modules are installed; it is added beside the real sources for
the measurement only.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import partial
from unittest import mock

from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.billing.models import Invoice, Service
from apps.billing.services import item_key
from apps.core import modules
from apps.core.benchmarking import Measurement
from apps.core.billable import BillableItem
from apps.patients.services import PatientDetails, patient_register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

ITEMS = 20
TARGET_SECONDS = 0.050
_PREFIX = "BENCH-"


class PriceListWork:
    """Every patient has one unbilled item per benchmark service (``BENCH-01`` ...)."""

    key = "benchmark.work"
    label = "Benchmark work"

    def items_for(self, *, patient_id: uuid.UUID) -> list[BillableItem]:
        services = Service.objects.filter(code__startswith=_PREFIX).order_by("code")
        return [
            BillableItem(
                source=self.key,
                reference=f"{patient_id}:{service.pk}",
                patient_id=patient_id,
                description=service.name,
                quantity=Decimal("1"),
                unit_price=service.price,
                occurred_at=service.created_at or datetime.now(tz=timezone.get_current_timezone()),
            )
            for service in services
        ]

    def item(self, *, reference: str) -> BillableItem | None:
        patient_id, _sep, _pk = reference.partition(":")
        found = [
            i for i in self.items_for(patient_id=uuid.UUID(patient_id)) if i.reference == reference
        ]
        return found[0] if found else None


@contextmanager
def _with_benchmark_source() -> Iterator[PriceListWork]:
    source = PriceListWork()
    real = modules.billable_sources
    with mock.patch.object(modules, "billable_sources", lambda: [*real(), source]):
        yield source


def _set_up(hospital: Hospital) -> Client:
    with tenant_context(hospital):
        for n in range(1, ITEMS + 1):
            Service.objects.get_or_create(
                code=f"{_PREFIX}{n:02d}",
                defaults={"name": f"Benchmark service {n}", "price": Decimal("12.35") + n},
            )
    cashier = account_create(
        hospital=hospital,
        full_name="Benchmark Cashier",
        role=Role.ACCOUNTANT,
        password=secrets.token_urlsafe(16),  # not temporary: no password change first
    ).user
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(cashier)
    return client


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """Per run, a new patient with 20 unbilled items: open the picker, make the draft of
    all 20, issue it (each a real request; medians over ``runs``)."""
    picker = Measurement(f"billing: the picker of {ITEMS} unbilled items", TARGET_SECONDS)
    create = Measurement(
        f"billing: invoicing a patient with {ITEMS} unbilled items", TARGET_SECONDS
    )
    issue = Measurement(f"billing: issuing that invoice of {ITEMS} lines", TARGET_SECONDS)
    client = _set_up(hospital)
    with _with_benchmark_source() as source:
        for run in range(runs + 1):  # the first run warms up and is not counted
            with tenant_context(hospital):
                patient = patient_register(
                    hospital=hospital,
                    details=PatientDetails(
                        first_name="Bench",
                        last_name=f"Patient{uuid.uuid4().hex[:6]}",
                        sex="male",
                        birth_date=datetime(1980, 1, 1).date(),
                        phone="+994 50 000 00 00",
                    ),
                    confirm_duplicates=True,
                ).patient
                keys = [item_key(item) for item in source.items_for(patient_id=patient.pk)]
            url = f"/billing/patients/{patient.pk}/invoice/"
            timings = (
                (picker, partial(client.get, url)),
                (create, partial(client.post, url, {"items": keys})),
            )
            for measurement, request in timings:
                response = measurement.time(request, counted=run > 0)
                if response.status_code not in (200, 302):
                    raise AssertionError(f"{measurement.label}: HTTP {response.status_code}")
            with tenant_context(hospital):
                invoice = Invoice.objects.filter(patient=patient).get()
                if invoice.lines.count() != ITEMS:
                    raise AssertionError("the draft does not hold every item")
            issue_url = f"/billing/invoices/{invoice.pk}/issue/"
            issued = issue.time(partial(client.post, issue_url), counted=run > 0)
            if issued.status_code != 302:
                raise AssertionError(f"issuing: HTTP {issued.status_code}")
    return [picker, create, issue]
