"""A hospital with two wards of different rates, a doctor and a nurse, a patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.admissions.models import Admission, AdmissionRequest, Bed, Ward
from apps.admissions.services import (
    admission_admit,
    admission_request_create,
    admission_settings_update,
    admission_transfer,
    bed_create,
    room_create,
    ward_create,
)
from apps.consultations.models import Consultation
from apps.consultations.services import PrescriptionItemDetails, prescription_item_add
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


# -- shared by the view tests (test_views_*.py) ----------------------------------------


@dataclass
class Stay:
    ward: Hospitalward
    admission: Admission
    request: AdmissionRequest
    consultation: Consultation
    item_id: int
    cleaning_bed: Bed

    @property
    def url(self) -> str:
        return f"/admissions/{self.admission.pk}/"

    def refreshed(self) -> Admission:
        with tenant_context(self.ward.hospital):
            return Admission.objects.get(pk=self.admission.pk)

    def client(self, role: str = "doctor") -> Client:
        users = {"doctor": self.ward.doctor_user, "nurse": self.ward.nurse}
        if role == "admin":
            return hospital_client(self.ward.hospital, make_user(self.ward.hospital))
        if role == "receptionist":
            return hospital_client(self.ward.hospital, self.ward.receptionist)
        return hospital_client(self.ward.hospital, users[role])


def _an_hour_ago_today() -> datetime:
    """An hour ago, but never before the hospital's midnight: a stay admitted "yesterday"
    in the first hour of the day would lose what belongs to the day of admission (the
    same-day cancel), and the tests would depend on the clock."""
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time()))
    return max(now - timedelta(hours=1), min(midnight, now))


def stay_in(ward: Hospitalward) -> Stay:
    consultation = ward.clinic.opened(patient=ward.patient)
    admission = ward.admit(consultation=consultation, at=_an_hour_ago_today())
    with tenant_context(ward.hospital):
        item = prescription_item_add(
            hospital=ward.hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(
                medicine="Ceftriaxone", dose="1 g", frequency="every 8 hours"
            ),
        )
        waiting = admission_request_create(
            patient=ward.patient_named("Waiting"),
            reason="Elective surgery",
            requested_by=ward.doctor_user,
        )
        other = ward.admit(patient=ward.patient_named("Moved"), bed=ward.beds[1])
        admission_transfer(admission=other, bed=ward.beds[2], transferred_by=ward.nurse)
    return Stay(ward, admission, waiting, consultation, item.pk, ward.beds[1])


@pytest.fixture
def stay(ward: Hospitalward) -> Stay:
    return stay_in(ward)


def all_urls(stay: Stay) -> list[tuple[str, str]]:
    a, w = stay.url, stay.ward
    return [
        ("get", "/admissions/"),
        ("get", "/admissions/to-admit/"),
        ("get", "/admissions/to-discharge/"),
        ("get", "/admissions/beds/"),
        ("get", f"/admissions/wards/{w.general.pk}/beds/"),
        ("post", f"/admissions/beds/{stay.cleaning_bed.pk}/clean/"),
        ("get", "/admissions/requests/new/"),
        ("post", f"/admissions/requests/{stay.request.pk}/cancel/"),
        ("get", "/admissions/admit/"),
        ("get", a),
        ("post", f"{a}transfer/"),
        ("post", f"{a}plan/"),
        ("post", f"{a}cancel/"),
        ("get", f"{a}discharge/"),
        ("get", f"{a}summary/"),
        ("get", f"{a}nursing/"),
        ("post", f"{a}vitals/"),
        ("post", f"{a}notes/"),
        ("post", f"{a}doses/"),
        ("get", "/admissions/setup/"),
        ("post", "/admissions/setup/wards/"),
        ("get", f"/admissions/setup/wards/{w.general.pk}/"),
        ("post", f"/admissions/setup/wards/{w.general.pk}/rooms/"),
        ("post", f"/admissions/setup/rooms/{w.beds[0].room_id}/beds/"),
        ("post", "/admissions/setup/settings/"),
    ]


GET_AND_POST = ("requests/new/", "admit/", "discharge/", "/setup/wards/")


def _next_dose(stay: Stay) -> str:
    """The first dose time of the item (every 8 hours) from admission on, as posted."""
    from apps.admissions.selectors import medication_chart

    with tenant_context(stay.ward.hospital):
        for offset in range(2):
            day = timezone.localdate() + timedelta(days=offset)
            [line] = medication_chart(admission=stay.admission, day=day, now=timezone.now())
            if line.doses:
                return line.doses[0].scheduled_at.isoformat()
    raise AssertionError("no dose in two days")
