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
from apps.consultations.services import (
    PrescriptionItemDetails,
    consultation_open,
    diagnosis_add,
    prescription_item_add,
)
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


# -- shared by the view tests (test_views_*.py) ----------------------------------------


@dataclass
class Visit:
    clinic: Clinic
    appointment: Appointment
    consultation: Consultation
    diagnosis_id: int
    second_diagnosis_id: int
    item_id: int

    @property
    def url(self) -> str:
        return f"/consultations/{self.consultation.pk}/"

    def refreshed(self) -> Consultation:
        with tenant_context(self.clinic.hospital):
            return Consultation.objects.get(pk=self.consultation.pk)


def visit_in(clinic: Clinic) -> Visit:
    consultation = clinic.opened()
    with tenant_context(clinic.hospital):
        first = diagnosis_add(consultation=consultation, code="J02.9")
        second = diagnosis_add(consultation=consultation, code="R50.9")
        item = prescription_item_add(
            hospital=clinic.hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(
                medicine="Amoxicillin 500 mg", dose="500 mg", frequency="3 times a day"
            ),
        )
    return Visit(clinic, consultation.appointment, consultation, first.pk, second.pk, item.pk)


@pytest.fixture
def visit(clinic: Clinic) -> Visit:
    return visit_in(clinic)


def all_urls(visit: Visit) -> list[tuple[str, str]]:
    """(method, url) of every page of the module."""
    a, c = visit.appointment.pk, visit.url
    return [
        ("get", "/consultations/"),
        ("post", f"/consultations/visits/{a}/open/"),
        ("get", f"/consultations/visits/{a}/vitals/"),
        ("get", c),
        ("post", f"{c}notes/"),
        ("get", f"{c}diagnoses/search/?q=J06"),
        ("post", f"{c}diagnoses/"),
        ("post", f"{c}diagnoses/{visit.second_diagnosis_id}/primary/"),
        ("post", f"{c}diagnoses/{visit.second_diagnosis_id}/remove/"),
        ("post", f"{c}prescription/items/"),
        ("post", f"{c}prescription/items/{visit.item_id}/remove/"),
        ("get", f"{c}prescription/"),
        ("post", f"{c}follow-up/"),
        ("post", f"{c}complete/"),
        ("post", f"{c}amend/"),
        ("post", f"{c}amend/diagnosis/"),
    ]


def doctor_only_urls(visit: Visit) -> list[tuple[str, str]]:
    reading = {"/consultations/", visit.url, f"{visit.url}prescription/"}
    return [
        (method, url)
        for method, url in all_urls(visit)
        if url not in reading and not url.endswith("/vitals/")
    ]
