"""A hospital with the emergency department's staff (a doctor, a nurse, a receptionist)
and a registered patient."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.emergency.models import EmergencyVisit
from apps.emergency.services import TriageDetails, visit_register, visit_register_unknown
from apps.emergency.tews import AgeBand, Avpu, Mobility, Vitals
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}

#: an adult with every vital normal: TEWS 0, green
NORMAL_ADULT = Vitals(
    mobility=Mobility.WALKING,
    respiratory_rate=12,
    heart_rate=80,
    systolic_bp=120,
    temperature=Decimal("36.8"),
    avpu=Avpu.ALERT,
    trauma=False,
)


def triage_details(**changes: Any) -> TriageDetails:
    values: dict[str, Any] = {"age_band": AgeBand.ADULT, "vitals": NORMAL_ADULT}
    values.update(changes)
    return TriageDetails(**values)


@dataclass
class Department:
    hospital: Hospital
    doctor: User
    nurse: User
    receptionist: User
    patient: Patient

    def client(self, user: User | None = None) -> Client:
        return hospital_client(self.hospital, user or self.nurse)

    def arrival(self, patient: Patient | None = None) -> EmergencyVisit:
        with tenant_context(self.hospital):
            return visit_register(
                patient=patient or self.patient,
                complaint="Chest pain",
                registered_by=self.receptionist,
            )

    def unknown_arrival(self, sex: str = "male", age: int = 40) -> EmergencyVisit:
        with tenant_context(self.hospital):
            return visit_register_unknown(
                hospital=self.hospital,
                sex=sex,
                estimated_age_years=age,
                registered_by=self.receptionist,
            )


def department_of(hospital: Hospital) -> Department:
    return Department(
        hospital=hospital,
        doctor=make_user(hospital, Role.DOCTOR),
        nurse=make_user(hospital, Role.NURSE),
        receptionist=make_user(hospital, Role.RECEPTIONIST),
        patient=register(hospital),
    )


@pytest.fixture
def department(hospital_a: Hospital) -> Department:
    return department_of(hospital_a)
