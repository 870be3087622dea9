"""Server time of the bed map, for ``manage.py benchmark clinic`` (issue 10: the bed
map of 300 beds within 100 ms). At merge, ``clinic_benchmarks(*, hospital, runs)``
wraps ``bed_map_median_seconds`` in an ``apps.core.benchmarking.Measurement``."""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from django.test import Client

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.admissions.models import Bed, BedStatus, Ward
from apps.admissions.services import admission_admit, bed_create, room_create, ward_create
from apps.core.benchmarking import Measurement
from apps.patients.models import Sex
from apps.patients.services import PatientDetails, patient_register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

WARD = "Benchmark ward"


#: the ward bed map as a nurse opens it, server time
BED_MAP_TARGET = 0.100


def bed_map_ensure(*, hospital: Hospital, beds: int = 300, occupied: int = 200) -> Ward:
    """One ward of ``beds`` beds (6 a room), ``occupied`` of them with a patient."""
    with tenant_context(hospital):
        ward = Ward.objects.filter(name=WARD).first() or ward_create(
            name=WARD, daily_rate=Decimal("40")
        )
        have = Bed.objects.filter(room__ward=ward).count()
        for index in range(have, beds):
            room_name = f"R{index // 6 + 1:03d}"
            room = ward.rooms.filter(name=room_name).first() or room_create(
                ward=ward, name=room_name
            )
            bed_create(room=room, label=str(index % 6 + 1))
        admin = account_create(
            hospital=hospital, full_name="Benchmark Admitting", role=Role.DOCTOR, password="x" * 16
        ).user
        in_ward = Bed.objects.filter(room__ward=ward)
        missing = max(0, occupied - in_ward.filter(status=BedStatus.OCCUPIED).count())
        for bed in list(in_ward.filter(status=BedStatus.FREE)[:missing]):
            patient = patient_register(
                hospital=hospital,
                details=PatientDetails(
                    first_name="Bench",
                    last_name=f"Patient {bed.pk.hex[:6]}",
                    sex=Sex.FEMALE,
                    birth_date=date(1970, 1, 1),
                    phone="+994 50 000 00 00",
                ),
                confirm_duplicates=True,
            ).patient
            admission_admit(
                hospital=hospital, patient=patient, bed=bed, reason="Benchmark", admitted_by=admin
            )
        return ward


def bed_map_timings(*, hospital: Hospital, ward: Ward, runs: int = 20) -> list[float]:
    """Times of ``GET /admissions/wards/<id>/beds/`` as a nurse, through the whole
    middleware stack (the first request is not counted: it opens the database)."""
    nurse = account_create(
        hospital=hospital, full_name="Benchmark Nurse", role=Role.NURSE, password="x" * 16
    ).user
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(nurse)
    url = f"/admissions/wards/{ward.pk}/beds/"
    client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"the bed map answered {response.status_code}")
    return timings


def bed_map_median_seconds(*, hospital: Hospital, ward: Ward, runs: int = 20) -> float:
    return statistics.median(bed_map_timings(hospital=hospital, ward=ward, runs=runs))


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """``manage.py benchmark clinic``'s entry: the bed map of a 300-bed ward, 200 occupied."""
    ward = bed_map_ensure(hospital=hospital)
    timings = bed_map_timings(hospital=hospital, ward=ward, runs=runs)
    return [Measurement("admissions: bed map, 300 beds, 200 occupied", BED_MAP_TARGET, timings)]
