"""Server time of the lab's busiest page, for ``manage.py benchmark clinic`` (issue 10:
the worklist with 500 pending orders within 100 ms)."""

from __future__ import annotations

import statistics
import time
from datetime import date

from django.test import Client

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.core.benchmarking import Measurement
from apps.laboratory.models import LabOrder, LabPanel, LabTest, Priority
from apps.laboratory.services import lab_order_place
from apps.patients.models import Patient
from apps.patients.services import PatientDetails, patient_register
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


#: the worklist with this many pending orders, within this many seconds (issue 10)
WORKLIST_ORDERS = 500
WORKLIST_TARGET = 0.100


def worklist_timings(*, hospital: Hospital, runs: int = 20) -> list[float]:
    """Times of ``GET /laboratory/worklist/`` as a lab technician, through the whole
    middleware stack (first request not counted: it opens the database)."""
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
    return timings


def worklist_median_seconds(*, hospital: Hospital, runs: int = 20) -> float:
    return statistics.median(worklist_timings(hospital=hospital, runs=runs))


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """``manage.py benchmark clinic``'s entry: the worklist with 500 pending orders."""
    with tenant_context(hospital):
        patient = patient_register(
            hospital=hospital,
            details=PatientDetails(
                first_name="Bench",
                last_name="Laboratory",
                sex="female",
                birth_date=date(1980, 1, 1),
                phone="+994 50 000 00 01",
            ),
            confirm_duplicates=True,
        ).patient
    worklist_orders_ensure(hospital=hospital, patient=patient, count=WORKLIST_ORDERS)
    timings = worklist_timings(hospital=hospital, runs=runs)
    label = f"laboratory: worklist, {WORKLIST_ORDERS} pending orders"
    return [Measurement(label, WORKLIST_TARGET, timings)]
