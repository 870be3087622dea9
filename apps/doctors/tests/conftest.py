"""Fixtures for doctor tests: canonical reference rows of a hospital and a way to make
doctors there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.doctors.models import Doctor
from apps.doctors.services import DoctorDetails, WorkingHours, doctor_create
from apps.regions.models import City, Clinic, Region, Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@dataclass(frozen=True)
class Place:
    region: Region
    city: City
    clinic: Clinic
    specialization: Specialization


def place_of(hospital: Hospital, region_code: str = "BAK", spec_code: str = "CARD") -> Place:
    with tenant_context(hospital):
        region = Region.objects.get(code=region_code)
        city = region.cities.order_by("name").first()
        clinic = city.clinics.order_by("name").first()  # type: ignore[union-attr]
        return Place(region, city, clinic, Specialization.objects.get(code=spec_code))  # type: ignore[arg-type]


@pytest.fixture
def baku(hospital_a: Hospital) -> Place:
    return place_of(hospital_a, "BAK")


@pytest.fixture
def ganja(hospital_a: Hospital) -> Place:
    return place_of(hospital_a, "GAN", "NEUR")


@pytest.fixture
def in_hospital_a(hospital_a: Hospital) -> Iterator[Hospital]:
    with tenant_context(hospital_a):
        yield hospital_a


def details_at(place: Place, **changes: Any) -> DoctorDetails:
    values: dict[str, Any] = {
        "full_name": "Nigar Əliyeva",
        "specialization": place.specialization,
        "region": place.region,
        "city": place.city,
        "clinic": place.clinic,
        "consulting_fee": Decimal("40.00"),
    }
    values.update(changes)
    return DoctorDetails(**values)


MONDAY_MORNING = WorkingHours(weekday=0, starts_at=time(9), ends_at=time(13), slot_minutes=20)


@pytest.fixture
def make_doctor() -> Callable[..., Doctor]:
    """Make a doctor in ``hospital`` at ``place`` (outside any tenant context)."""

    def factory(hospital: Hospital, place: Place, **changes: Any) -> Doctor:
        with tenant_context(hospital):
            return doctor_create(
                hospital=hospital, details=details_at(place, **changes), schedule=[MONDAY_MORNING]
            ).doctor

    return factory


# -- shared by the view tests (test_views_*.py) ----------------------------------------

MakeDoctor = Callable[..., Doctor]


def form_data(place: Place, **changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "Nigar Əliyeva",
        "specialization": place.specialization.pk,
        "region": place.region.pk,
        "city": place.city.pk,
        "clinic": place.clinic.pk,
        "consulting_fee": "40.00",
        "is_active": "on",
        "phone": "+994 50 123 45 67",
        "email": "",
        "login": "keep",
        "link_user": "",
        "schedule_0-works": "on",
        "schedule_0-starts_at": "09:00",
        "schedule_0-ends_at": "13:00",
        "schedule_0-slot_minutes": "20",
    }
    data.update(changes)
    return data


def doctors_of(hospital: Hospital) -> list[Doctor]:
    with tenant_context(hospital):
        return list(Doctor.objects.prefetch_related("schedule"))


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def staff_client(hospital: Hospital, role: str) -> Client:
    return hospital_client(hospital, make_user(hospital, role))
