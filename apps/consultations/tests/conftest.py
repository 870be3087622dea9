"""A doctor with a login, a nurse, and a patient checked in to see the doctor today."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.consultations.models import Consultation
from apps.consultations.services import consultation_open
from apps.doctors.models import Doctor
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Clinic:
    hospital: Hospital
    doctor: Doctor
    doctor_user: User
    nurse: User

    def client(self, user: User | None = None) -> Client:
        return hospital_client(self.hospital, user or self.doctor_user)

    def checked_in(self, **kwargs: Any) -> Appointment:
        appointment = make_appointment(self.hospital, doctor=self.doctor, **kwargs)
        with tenant_context(self.hospital):
            return appointment_check_in(appointment=appointment)

    def opened(self, **kwargs: Any) -> Consultation:
        appointment = self.checked_in(**kwargs)
        with tenant_context(self.hospital):
            return consultation_open(appointment=appointment, opened_by=self.doctor_user)


def clinic_of(hospital: Hospital) -> Clinic:
    doctor = make_doctor(hospital)
    user = make_user(hospital, Role.DOCTOR, name="Leyla Məmmədova")
    with tenant_context(hospital):
        Doctor.objects.filter(pk=doctor.pk).update(user_id=user.pk)
        doctor.refresh_from_db()
    return Clinic(hospital, doctor, user, make_user(hospital, Role.NURSE, name="Aygün Nurse"))


@pytest.fixture
def clinic(hospital_a: Hospital) -> Clinic:
    return clinic_of(hospital_a)


@pytest.fixture
def in_a(hospital_a: Hospital):
    with tenant_context(hospital_a):
        yield hospital_a
