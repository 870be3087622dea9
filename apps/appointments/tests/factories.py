"""Doctors and appointments for tests of appointments and the modules built on them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.appointments.models import Appointment, AppointmentKind
from apps.doctors.models import Doctor, DoctorSchedule
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.regions.models import Clinic, Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def make_doctor(
    hospital: Hospital,
    name: str = "Dr Leyla Məmmədova",
    fee: Decimal = Decimal("40.00"),
    hours: tuple[time, time] = (time(9), time(17)),
    slot_minutes: int = 20,
) -> Doctor:
    """A doctor working every day of the week in ``hours``, cut into ``slot_minutes``."""
    with tenant_context(hospital):
        clinic = Clinic.objects.select_related("city__region").first()
        assert clinic is not None, "reference data seeds clinics"
        doctor = Doctor.objects.create(
            full_name=name,
            specialization=Specialization.objects.order_by("name")[0],
            region=clinic.city.region,
            city=clinic.city,
            clinic=clinic,
            consulting_fee=fee,
        )
        for weekday in range(7):
            DoctorSchedule.objects.create(
                doctor=doctor,
                weekday=weekday,
                starts_at=hours[0],
                ends_at=hours[1],
                slot_minutes=slot_minutes,
            )
        return doctor


def make_appointment(
    hospital: Hospital,
    *,
    doctor: Doctor,
    patient: Patient | None = None,
    day: date | None = None,
    at: time = time(10),
    minutes: int = 20,
    kind: str = AppointmentKind.SCHEDULED,
) -> Appointment:
    """An appointment written straight to the table (no booking rules): for tests of
    what comes after booking."""
    patient = patient or register(hospital)
    day = day or timezone.localdate()
    starts = timezone.make_aware(datetime.combine(day, at))
    walk_in = kind == AppointmentKind.WALK_IN
    with tenant_context(hospital):
        return Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            kind=kind,
            date=day,
            starts_at=None if walk_in else starts,
            ends_at=None if walk_in else starts + timedelta(minutes=minutes),
        )
