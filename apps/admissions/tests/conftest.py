"""A hospital with two wards of different rates, a doctor and a nurse, a patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.admissions.models import Admission, Bed, Ward
from apps.admissions.services import (
    admission_admit,
    admission_settings_update,
    bed_create,
    room_create,
    ward_create,
)
from apps.consultations.tests.conftest import Clinic, clinic_of
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Hospitalward:
    hospital: Hospital
    clinic: Clinic
    general: Ward
    private: Ward
    beds: list[Bed]  # general: 4 beds in rooms 1 (A, B) and 2 (A, B)
    private_bed: Bed
    patient: Patient
    nurse: User
    receptionist: User

    @property
    def doctor_user(self) -> User:
        return self.clinic.doctor_user

    def client(self, user: User | None = None) -> Client:
        return hospital_client(self.hospital, user or self.doctor_user)

    def admit(
        self, patient: Patient | None = None, bed: Bed | None = None, **kwargs: Any
    ) -> Admission:
        with tenant_context(self.hospital):
            return admission_admit(
                hospital=self.hospital,
                patient=patient or self.patient,
                bed=bed or self.beds[0],
                reason=kwargs.pop("reason", "Community-acquired pneumonia"),
                admitted_by=self.doctor_user,
                **kwargs,
            )

    def patient_named(self, first_name: str) -> Patient:
        return register(self.hospital, first_name=first_name, phone="+994 50 555 12 34")


def ward_of(hospital: Hospital) -> Hospitalward:
    clinic = clinic_of(hospital)
    with tenant_context(hospital):
        general = ward_create(name="General Medicine", daily_rate=Decimal("50.00"))
        private = ward_create(name="Private", daily_rate=Decimal("120.00"))
        beds = []
        for room_name in ("1", "2"):
            room = room_create(ward=general, name=room_name)
            beds += [bed_create(room=room, label=label) for label in ("A", "B")]
        private_bed = bed_create(room=room_create(ward=private, name="P1"), label="1")
    return Hospitalward(
        hospital,
        clinic,
        general,
        private,
        beds,
        private_bed,
        register(hospital),
        clinic.nurse,
        make_user(hospital, Role.RECEPTIONIST, name="Reception Desk"),
    )


@pytest.fixture
def ward(hospital_a: Hospital) -> Hospitalward:
    return ward_of(hospital_a)


@pytest.fixture
def allow_unbilled(ward: Hospitalward) -> None:
    with tenant_context(ward.hospital):
        admission_settings_update(allow_discharge_with_unbilled=True)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    from django.utils import timezone

    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())
