"""Server time of the lab's busiest page, for ``manage.py benchmark clinic`` (issue 10:
the worklist with 500 pending orders within 100 ms)."""

from __future__ import annotations

import statistics
import time

from django.test import Client

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.laboratory.models import LabOrder, LabPanel, LabTest, Priority
from apps.laboratory.services import lab_order_place
from apps.patients.models import Patient
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def worklist_orders_ensure(*, hospital: Hospital, patient: Patient, count: int) -> None:
    """At least ``count`` pending orders (a CBC and a glucose each, one in five urgent)."""
    with tenant_context(hospital):
        cbc = LabPanel.objects.get(code="CBC")
        glucose = LabTest.objects.get(code="GLU")
        for index in range(LabOrder.objects.count(), count):
            lab_order_place(
                hospital=hospital,
                patient=patient,
                panels=[cbc],
                tests=[glucose],
                priority=Priority.URGENT if index % 5 == 0 else Priority.ROUTINE,
            )


def worklist_median_seconds(*, hospital: Hospital, runs: int = 20) -> float:
    """Median time of ``GET /laboratory/worklist/`` as a lab technician, through the
    whole middleware stack (first request not counted: it opens the database)."""
    user = account_create(
        hospital=hospital, full_name="Benchmark Lab", role=Role.LAB_TECHNICIAN, password="x" * 16
    ).user
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(user)
    client.get("/laboratory/worklist/")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/laboratory/worklist/")
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"the worklist answered {response.status_code}")
    return statistics.median(timings)
