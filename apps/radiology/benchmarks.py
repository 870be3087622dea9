"""Server time of radiology's busiest page, for ``manage.py benchmark clinic`` (issue 21:
the worklist of 500 studies within 100 ms)."""

from __future__ import annotations

import statistics
import time
from datetime import date

from django.test import Client

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.core.benchmarking import Measurement
from apps.patients.models import Patient
from apps.patients.services import PatientDetails, patient_register
from apps.radiology.models import Examination, Priority, Study
from apps.radiology.services import radiology_study_order
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

#: the worklist with this many pending studies, within this many seconds (issue 21)
WORKLIST_STUDIES = 500
WORKLIST_TARGET = 0.100


def worklist_studies_ensure(*, hospital: Hospital, patient: Patient, count: int) -> None:
    """At least ``count`` pending studies (a chest X-ray each, one in five urgent)."""
    with tenant_context(hospital):
        chest = Examination.objects.get(code="XR-CHEST-PA")
        for index in range(Study.objects.count(), count):
            radiology_study_order(
                hospital=hospital,
                patient=patient,
                examination=chest,
                priority=Priority.URGENT if index % 5 == 0 else Priority.ROUTINE,
            )


def worklist_timings(*, hospital: Hospital, runs: int = 20) -> list[float]:
    """Times of ``GET /radiology/worklist/`` as a radiologist, through the whole
    middleware stack (first request not counted: it opens the database)."""
    user = account_create(
        hospital=hospital, full_name="Benchmark Radiology", role=Role.RADIOLOGIST, password="x" * 16
    ).user
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(user)
    client.get("/radiology/worklist/")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/radiology/worklist/")
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"the radiology worklist answered {response.status_code}")
    return timings


def worklist_median_seconds(*, hospital: Hospital, runs: int = 20) -> float:
    return statistics.median(worklist_timings(hospital=hospital, runs=runs))


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """``manage.py benchmark clinic``'s entry: the worklist with 500 pending studies."""
    with tenant_context(hospital):
        patient = patient_register(
            hospital=hospital,
            details=PatientDetails(
                first_name="Bench",
                last_name="Radiology",
                sex="male",
                birth_date=date(1975, 1, 1),
                phone="+994 50 000 00 02",
            ),
            confirm_duplicates=True,
        ).patient
    worklist_studies_ensure(hospital=hospital, patient=patient, count=WORKLIST_STUDIES)
    timings = worklist_timings(hospital=hospital, runs=runs)
    label = f"radiology: worklist, {WORKLIST_STUDIES} pending studies"
    return [Measurement(label, WORKLIST_TARGET, timings)]
