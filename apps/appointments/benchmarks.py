"""Measurements of the appointment pages for ``manage.py benchmark clinic``.

The command (shared with billing) provides a hospital and prints; this module builds the
data in that hospital and times, with DEBUG off, both the selector alone and the whole
request through the middleware (what a receptionist waits for, minus the network):

- the slot grid of a doctor-day with 40 appointments booked (target ≤ 30 ms);
- the flow board of a day with 300 appointments (target ≤ 100 ms).
"""

from __future__ import annotations

import secrets
import statistics
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.test import Client, override_settings
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.selectors import flow_board_rows, slot_grid
from apps.core.benchmarking import Measurement
from apps.doctors.models import Doctor, DoctorSchedule
from apps.patients.models import Patient, Sex, name_key
from apps.regions.models import Clinic, Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.db import current_connection, tenant_atomic
from apps.tenancy.models import Hospital

SLOT_GRID_TARGET_SECONDS = 0.030
FLOW_BOARD_TARGET_SECONDS = 0.100
GRID_BOOKED = 40
BOARD_APPOINTMENTS = 300
BOARD_DOCTORS = 10


@dataclass(frozen=True)
class Timing:
    label: str
    #: wall-clock seconds of each run
    runs: list[float]
    #: this process's CPU seconds of each run: what the server spent, steadier than the
    #: wall clock on a machine shared with other work
    cpu: list[float]
    target: float
    queries: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def line(self) -> str:
        verdict = "ok" if self.median <= self.target else "OVER TARGET"
        return (
            f"{self.label:<36} median {self.median * 1000:6.1f} ms wall, "
            f"{self.cpu_median * 1000:6.1f} ms CPU "
            f"(target {self.target * 1000:.0f} ms, {self.queries} queries) {verdict}"
        )


def _timed(label: str, target: float, runs: int, action: Callable[[], object]) -> Timing:
    action()  # warm up: connection, templates, URL resolvers
    connection = current_connection()
    before = len(connection.queries_log)
    connection.force_debug_cursor = True
    try:
        action()
    finally:
        connection.force_debug_cursor = False
    queries = len(connection.queries_log) - before
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = clock.perf_counter(), clock.process_time()
        action()
        cpu.append(clock.process_time() - started_cpu)
        wall.append(clock.perf_counter() - started)
    return Timing(label=label, runs=wall, cpu=cpu, target=target, queries=queries)


# -- data ----------------------------------------------------------------------------------


def _doctor(name: str, *, hours: tuple[time, time], slot_minutes: int) -> Doctor:
    clinic = Clinic.objects.select_related("city__region").first()
    if clinic is None:
        raise RuntimeError("the hospital has no clinics: seed its reference data first")
    doctor = Doctor.objects.create(
        full_name=name,
        specialization=Specialization.objects.order_by("name")[0],
        region=clinic.city.region,
        city=clinic.city,
        clinic=clinic,
        consulting_fee=Decimal("40.00"),
    )
    DoctorSchedule.objects.bulk_create(
        DoctorSchedule(
            doctor=doctor,
            weekday=weekday,
            starts_at=hours[0],
            ends_at=hours[1],
            slot_minutes=slot_minutes,
        )
        for weekday in range(7)
    )
    return doctor


def _patients(hospital: Hospital, count: int, prefix: str) -> list[Patient]:
    patients = []
    for number in range(1, count + 1):
        first, last = f"Benchmark{number}", f"{prefix}patient"
        patient_number = f"{hospital.code}-BEN-{prefix}{number:06d}"
        patients.append(
            Patient(
                number=patient_number,
                first_name=first,
                last_name=last,
                sex=Sex.FEMALE if number % 2 else Sex.MALE,
                birth_date=date(1980, 1, 1) + timedelta(days=number),
                phone=f"+99450{number:07d}",
                name_key=name_key(first, last),
                search_text=f"{name_key(first, last)} {patient_number.casefold()}",
            )
        )
    return Patient.objects.bulk_create(patients)


def build_slot_grid_day(hospital: Hospital, *, day: date) -> Doctor:
    """A doctor working 08:00–22:00 in 15-minute slots with 40 of the day's slots booked."""
    with tenant_context(hospital), tenant_atomic():
        doctor = _doctor("Dr Benchmark Grid", hours=(time(8), time(22)), slot_minutes=15)
        start = timezone.make_aware(datetime.combine(day, time(8)))
        Appointment.objects.bulk_create(
            Appointment(
                patient=patient,
                doctor=doctor,
                date=day,
                starts_at=start + timedelta(minutes=15 * index),
                ends_at=start + timedelta(minutes=15 * (index + 1)),
                consultation_fee=doctor.consulting_fee,
            )
            for index, patient in enumerate(_patients(hospital, GRID_BOOKED, "g"))
        )
    return doctor


def build_flow_board_day(hospital: Hospital, *, day: date) -> None:
    """300 appointments on ``day`` over 10 doctors, in every status a day goes through."""
    statuses = [
        AppointmentStatus.SCHEDULED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.IN_CONSULTATION,
        AppointmentStatus.COMPLETED,
        AppointmentStatus.CANCELLED,
    ]
    with tenant_context(hospital), tenant_atomic():
        doctors = [
            _doctor(f"Dr Benchmark {n}", hours=(time(8), time(20)), slot_minutes=20)
            for n in range(BOARD_DOCTORS)
        ]
        start = timezone.make_aware(datetime.combine(day, time(8)))
        now = timezone.now()
        appointments = []
        for index, patient in enumerate(_patients(hospital, BOARD_APPOINTMENTS, "b")):
            doctor = doctors[index % BOARD_DOCTORS]
            slot = index // BOARD_DOCTORS
            status = statuses[index % len(statuses)]
            checked_in = status in statuses[1:4]
            appointments.append(
                Appointment(
                    patient=patient,
                    doctor=doctor,
                    date=day,
                    status=status,
                    starts_at=start + timedelta(minutes=20 * slot),
                    ends_at=start + timedelta(minutes=20 * (slot + 1)),
                    queue_number=slot + 1 if checked_in else None,
                    checked_in_at=now - timedelta(minutes=slot) if checked_in else None,
                    consultation_fee=doctor.consulting_fee,
                )
            )
        Appointment.objects.bulk_create(appointments)


# -- measuring ----------------------------------------------------------------------------


def _receptionist(hospital: Hospital) -> User:
    return account_create(
        hospital=hospital,
        full_name="Benchmark Receptionist",
        role=Role.RECEPTIONIST,
        # a real password: a temporary one would send every request to the change page
        password=secrets.token_urlsafe(24),
    ).user


def measure_appointments(
    *, hospital: Hospital, runs: int = 15, report: Callable[[str], None] = print
) -> list[Timing]:
    """Build the data in ``hospital`` (a scratch one: it adds doctors, patients and
    appointments) and time the slot grid and the flow board, selector and request."""
    grid_day = timezone.localdate() + timedelta(days=1)
    board_day = timezone.localdate()
    doctor = build_slot_grid_day(hospital, day=grid_day)
    build_flow_board_day(hospital, day=board_day)
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(_receptionist(hospital))
    grid_url = f"/appointments/book/?doctor={doctor.pk}&date={grid_day.isoformat()}"

    def grid_selector() -> object:
        return slot_grid(doctor=doctor, day=grid_day).slots

    def board_selector() -> object:
        return flow_board_rows(day=board_day)

    def request(url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        return get

    measured: list[tuple[str, float, Callable[[], object]]] = [
        ("slot grid, 40 booked (selector)", SLOT_GRID_TARGET_SECONDS, grid_selector),
        ("slot grid, 40 booked (request)", SLOT_GRID_TARGET_SECONDS, request(grid_url)),
        ("flow board, 300 today (selector)", FLOW_BOARD_TARGET_SECONDS, board_selector),
        ("flow board, 300 today (request)", FLOW_BOARD_TARGET_SECONDS, request("/appointments/")),
    ]
    with override_settings(DEBUG=False), tenant_context(hospital):
        timings = [_timed(label, target, runs, action) for label, target, action in measured]
    for timing in timings:
        report(timing.line)
    return timings


def clinic_benchmarks(*, hospital: Hospital, runs: int) -> list[Measurement]:
    """``manage.py benchmark clinic``'s entry: the slot grid and the flow board timed as
    above (wall clock, medians over ``runs``)."""
    timings = measure_appointments(hospital=hospital, runs=runs, report=lambda line: None)
    return [
        Measurement(f"appointments: {timing.label}", timing.target, list(timing.runs))
        for timing in timings
    ]
