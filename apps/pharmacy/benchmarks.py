"""A pharmacy sale's server time, for ``manage.py benchmark clinic`` (issue 10: a sale of
10 lines drawn from 5 batches each within 50 ms), and the allergy and duplicate checks of
one prescription line against the formulary (issue 18: within 5 ms)."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.appointments.models import Appointment
from apps.consultations.formulary import formulary_medicine_get
from apps.consultations.models import Consultation, Prescription, PrescriptionItem
from apps.consultations.prescribing import prescription_line_check
from apps.core.benchmarking import Measurement
from apps.doctors.models import Doctor
from apps.patients.models import (
    Allergen,
    AllergyStatus,
    Patient,
    PatientAllergy,
    Sex,
    name_key,
)
from apps.pharmacy.models import Medicine
from apps.pharmacy.services.catalogue import (
    MedicineDetails,
    SupplierDetails,
    medicine_create,
    supplier_create,
)
from apps.pharmacy.services.sales import SaleDetails, SaleLineInput, sale_create
from apps.pharmacy.services.stock import ReceiptLine, stock_receive
from apps.regions.models import Clinic, Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

SALE_TARGET = 0.050
CHECK_TARGET = 0.005
LINES = 10
BATCHES_PER_LINE = 5
UNITS_PER_BATCH = 2


def _medicines(hospital: Hospital) -> list[Medicine]:
    tag = uuid.uuid4().hex[:6]
    with tenant_context(hospital):
        return [
            medicine_create(
                details=MedicineDetails(
                    generic_name=f"Benchmark drug {tag} {number}",
                    brand_name="",
                    form="tablet",
                    strength="10 mg",
                    unit="tablet",
                    reorder_level=0,
                    sale_price=Decimal("0.50"),
                )
            )
            for number in range(LINES)
        ]


def _stock_up(
    hospital: Hospital, medicines: list[Medicine], supplier_id: uuid.UUID, run: int
) -> None:
    """Five small batches of every medicine, so each line of the sale spans all five."""
    today = timezone.localdate()
    with tenant_context(hospital):
        stock_receive(
            hospital=hospital,
            supplier_id=supplier_id,
            received_on=today,
            lines=[
                ReceiptLine(
                    medicine.pk,
                    f"R{run}-{medicine.pk}-{batch}",
                    today + timedelta(days=60 + batch),
                    UNITS_PER_BATCH,
                    Decimal("0.20"),
                )
                for medicine in medicines
                for batch in range(BATCHES_PER_LINE)
            ],
            today=today,
        )


def _patient_on_medicines(hospital: Hospital, medicines: list[Medicine]) -> Patient:
    """A patient with three allergies and a prescription of ``medicines`` still active,
    written as rows (the consultation's own rules are measured elsewhere)."""
    tag = uuid.uuid4().hex[:6]
    with tenant_context(hospital), tenant_atomic():
        clinic = Clinic.objects.select_related("city__region").first()
        if clinic is None:
            raise RuntimeError("the hospital has no clinics: seed its reference data first")
        doctor = Doctor.objects.create(
            full_name=f"Dr Benchmark {tag}",
            specialization=Specialization.objects.order_by("name")[0],
            region=clinic.city.region,
            city=clinic.city,
            clinic=clinic,
            consulting_fee=Decimal("40.00"),
        )
        patient = Patient.objects.create(
            number=f"{hospital.code}-BEN-RX{tag}",
            first_name="Benchmark",
            last_name=f"Allergic {tag}",
            sex=Sex.FEMALE,
            birth_date=date(1980, 1, 1),
            phone="+994500000000",
            name_key=name_key("Benchmark", f"Allergic {tag}"),
            allergy_status=AllergyStatus.HAS_ALLERGIES,
        )
        for code in ("penicillins", "sulfonamides", "latex"):
            PatientAllergy.objects.create(
                patient=patient,
                allergen=Allergen.objects.get(code=code),
                reaction="Rash",
                severity="moderate",
                recorded_at=timezone.now(),
            )
        now = timezone.now()
        appointment = Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            kind="walk_in",
            date=now.date(),
            consultation_fee=Decimal("40.00"),
        )
        consultation = Consultation.objects.create(
            appointment=appointment, patient=patient, doctor=doctor, started_at=now
        )
        prescription = Prescription.objects.create(
            number=f"{hospital.code}-RX-BEN-{tag}",
            consultation=consultation,
            patient=patient,
            doctor=doctor,
        )
        PrescriptionItem.objects.bulk_create(
            PrescriptionItem(
                prescription=prescription,
                formulary_medicine_id=medicine.pk,
                medicine=str(medicine),
                dose="1 tablet",
                frequency="3 times a day",
                duration_days=30,
            )
            for medicine in medicines
        )
    return patient


def prescription_check_benchmark(*, hospital: Hospital, runs: int) -> Measurement:
    """One line's checks for a patient with three allergies and five active medicines:
    the line matches an allergy (by class) and an active medicine (by ingredient)."""
    measurement = Measurement(
        "consultations: allergy and duplicate checks of one prescription line (service)",
        CHECK_TARGET,
    )
    with tenant_context(hospital):
        amoxicillin = [
            medicine_create(
                details=MedicineDetails(
                    generic_name="Amoxicillin",
                    brand_name=f"Bench {uuid.uuid4().hex[:6]}",
                    form="capsule",
                    strength="500 mg",
                    unit="capsule",
                    sale_price=Decimal("0.30"),
                )
            )
            for _ in range(2)
        ]
    others = _medicines(hospital)[:4]
    patient = _patient_on_medicines(hospital, [amoxicillin[0], *others])
    with tenant_context(hospital):
        medicine = formulary_medicine_get(medicine_id=amoxicillin[1].pk)
        assert medicine is not None
        for run in range(runs + 1):  # the first run warms up and is not counted
            started = time.perf_counter()
            warnings = prescription_line_check(patient=patient, medicine=medicine)
            if run:
                measurement.samples.append(time.perf_counter() - started)
        assert {w.kind for w in warnings} >= {"allergy", "duplicate_ingredient"}
    return measurement


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """Per run: stock every medicine with five batches, then time the sale of all of it
    (ten lines, each drawn from five batches: FEFO, allocations, ledger, number)."""
    measurement = Measurement(
        f"pharmacy: a sale of {LINES} lines from {BATCHES_PER_LINE} batches each (service)",
        SALE_TARGET,
    )
    medicines = _medicines(hospital)
    with tenant_context(hospital):
        supplier = supplier_create(details=SupplierDetails(name=f"Bench {uuid.uuid4().hex[:6]}"))
    lines = [SaleLineInput(m.pk, BATCHES_PER_LINE * UNITS_PER_BATCH) for m in medicines]
    for run in range(runs + 1):  # the first run warms up and is not counted
        _stock_up(hospital, medicines, supplier.pk, run)
        with tenant_context(hospital):
            started = time.perf_counter()
            sale_create(
                hospital=hospital,
                details=SaleDetails(customer_name="Benchmark", payment_method="cash"),
                lines=lines,
            )
            if run:
                measurement.samples.append(time.perf_counter() - started)
    return [measurement, prescription_check_benchmark(hospital=hospital, runs=runs)]
