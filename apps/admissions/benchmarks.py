"""Admissions' figures for ``manage.py benchmark clinic``: the bed map of 300 beds
within 100 ms (issue 10); the medication record of a 40-bed ward for one day within
100 ms, and the allergy and duplicate checks of one ward order within 5 ms (issue 18)."""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.admissions import medication_record
from apps.admissions.models import (
    Admission,
    Bed,
    BedStatus,
    DoseAdministration,
    MedicationOrder,
    Ward,
)
from apps.admissions.orders import medication_order_create, running_order_lines
from apps.admissions.selectors import ward_medication_record
from apps.admissions.services import admission_admit, bed_create, room_create, ward_create
from apps.consultations.formulary import formulary_medicine_get
from apps.consultations.prescribing import PrescriptionLine, prescription_line_check
from apps.core.benchmarking import Measurement
from apps.patients.allergies import AllergyDetails, patient_allergy_record
from apps.patients.models import Allergen, Sex
from apps.patients.services import PatientDetails, patient_register
from apps.pharmacy.services.catalogue import MedicineDetails, medicine_create
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

WARD = "Benchmark ward"


#: the ward bed map as a nurse opens it, server time
BED_MAP_TARGET = 0.100


def bed_map_ensure(
    *, hospital: Hospital, beds: int = 300, occupied: int = 200, name: str = WARD
) -> Ward:
    """One ward of ``beds`` beds (6 a room), ``occupied`` of them with a patient."""
    with tenant_context(hospital):
        ward = Ward.objects.filter(name=name).first() or ward_create(
            name=name, daily_rate=Decimal("40")
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


#: the medication record of a full 40-bed ward for one day, and one order's checks
RECORD_TARGET = 0.100
ORDER_CHECK_TARGET = 0.005
RECORD_WARD = "Benchmark medication ward"
#: each patient's orders: (frequency, every hours)
ORDERS_A_PATIENT = [
    ("once_daily", None),
    ("twice_daily", None),
    ("every_hours", 6),
    ("as_needed", None),
]


def medication_record_ensure(*, hospital: Hospital, beds: int = 40) -> Ward:
    """A full ward of ``beds`` patients, each with four orders started two days ago
    (once and twice daily, every 6 hours, as needed) and yesterday's doses given."""
    ward = bed_map_ensure(hospital=hospital, beds=beds, occupied=beds, name=RECORD_WARD)
    with tenant_context(hospital):
        admissions = Admission.objects.filter(
            occupancies__ended_at__isnull=True, occupancies__bed__room__ward=ward
        ).exclude(orders__isnull=False)
        start = timezone.now() - timedelta(days=2)
        orders = [
            MedicationOrder(
                admission=admission,
                outside_formulary_reason="Benchmark",
                medicine=f"Bench medicine {n}",
                dose_amount=Decimal("1"),
                dose_unit="tablet",
                route="oral",
                frequency_code=frequency,
                every_hours=hours,
                starts_at=start,
                duration_days=7,
                ordered_at=start,
                ordered_by_id=uuid.uuid4(),
            )
            for admission in admissions
            for n, (frequency, hours) in enumerate(ORDERS_A_PATIENT)
        ]
        MedicationOrder.objects.bulk_create(orders)
        yesterday = timezone.localdate() - timedelta(days=1)
        records = [
            DoseAdministration(
                admission_id=order.admission_id,
                order=order,
                scheduled_at=at,
                outcome="given",
                at=at,
                recorded_by_id=uuid.uuid4(),
            )
            for order in orders
            for at in _due_on(order, yesterday)
        ]
        DoseAdministration.objects.bulk_create(records)
    return ward


def _due_on(order: MedicationOrder, day: date) -> list[datetime]:
    return medication_record.order_doses_of_day(order, order.admission, day=day)


def medication_record_benchmark(*, hospital: Hospital, runs: int) -> Measurement:
    measurement = Measurement(
        "admissions: medication record of a 40-bed ward for one day (selector)", RECORD_TARGET
    )
    ward = medication_record_ensure(hospital=hospital)
    with tenant_context(hospital):
        for run in range(runs + 1):  # the first run warms up and is not counted
            measurement.time(
                lambda: ward_medication_record(
                    ward=ward, day=timezone.localdate(), now=timezone.now()
                ),
                counted=run > 0,
            )
    return measurement


def order_check_benchmark(*, hospital: Hospital, runs: int) -> Measurement:
    """One ward order's checks for an admitted patient with three allergies and four
    running orders: the line matches an allergy (by class) and a running order."""
    measurement = Measurement(
        "admissions: allergy and duplicate checks of one ward order (service)",
        ORDER_CHECK_TARGET,
    )
    ward = bed_map_ensure(hospital=hospital, beds=1, occupied=1, name="Benchmark order ward")
    with tenant_context(hospital):
        admission = Admission.objects.filter(
            occupancies__ended_at__isnull=True, occupancies__bed__room__ward=ward
        ).get()
        patient = admission.patient
        doctor = account_create(
            hospital=hospital, full_name="Benchmark Orders", role=Role.DOCTOR, password="x" * 16
        ).user
        medicines = [
            medicine_create(
                details=MedicineDetails(
                    generic_name="Amoxicillin",
                    brand_name=f"Bench {uuid.uuid4().hex[:6]}",
                    form="capsule",
                    strength=f"{250 * (n + 1)} mg",
                    unit="capsule",
                    sale_price=Decimal("0.30"),
                )
            )
            for n in range(5)
        ]
        for code in ("penicillins", "sulfonamides", "nsaids"):
            allergen = Allergen.objects.filter(code=code).first()
            if (
                allergen is not None
                and not patient.allergy_records.filter(allergen=allergen).exists()
            ):
                patient_allergy_record(
                    patient=patient,
                    details=AllergyDetails(allergen.pk, "Rash", "mild"),
                    recorded_by=doctor,
                )
        for running in medicines[:4]:
            medication_order_create(
                admission=admission,
                line=PrescriptionLine(
                    medicine_id=running.pk,
                    dose_amount=Decimal("1"),
                    dose_unit="capsule",
                    frequency="three_times_daily",
                    duration_days=7,
                    override_reason="Benchmark",
                ),
                ordered_by=doctor,
            )
        checked = formulary_medicine_get(medicine_id=medicines[4].pk)
        assert checked is not None
        patient.refresh_from_db()
        for run in range(runs + 1):
            warnings = measurement.time(
                lambda: prescription_line_check(
                    patient=patient,
                    medicine=checked,
                    also_active=running_order_lines(admission, timezone.now()),
                ),
                counted=run > 0,
            )
        assert {w.kind for w in warnings} >= {"allergy", "duplicate_ingredient"}
    return measurement


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """``manage.py benchmark clinic``'s entry: the bed map of a 300-bed ward, 200
    occupied; the medication record of a full 40-bed ward; one ward order's checks."""
    ward = bed_map_ensure(hospital=hospital)
    timings = bed_map_timings(hospital=hospital, ward=ward, runs=runs)
    return [
        Measurement("admissions: bed map, 300 beds, 200 occupied", BED_MAP_TARGET, timings),
        medication_record_benchmark(hospital=hospital, runs=runs),
        order_check_benchmark(hospital=hospital, runs=runs),
    ]
