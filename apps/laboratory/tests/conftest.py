"""Fixtures for laboratory tests: the seeded catalogue of a hospital, patients of a
given sex and age, and orders placed through the service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.laboratory.models import LabOrder, LabPanel, LabTest
from apps.laboratory.services import lab_order_place
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def born_years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def patient_of(hospital: Hospital, *, sex: str = "male", born: date | None = None) -> Patient:
    return register(hospital, sex=sex, birth_date=born or born_years_ago(40), first_name="Nizami")


def place(
    hospital: Hospital,
    patient: Patient,
    *,
    panels: tuple[str, ...] = ("CBC",),
    tests: tuple[str, ...] = (),
    priority: str = "routine",
    user: User | None = None,
    **kwargs: object,
) -> LabOrder:
    with tenant_context(hospital):
        return lab_order_place(
            hospital=hospital,
            patient=patient,
            panels=list(LabPanel.objects.filter(code__in=panels)),
            tests=list(LabTest.objects.filter(code__in=tests)),
            priority=priority,
            ordered_by=user,
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.fixture
def in_a(hospital_a: Hospital) -> Iterator[Hospital]:
    with tenant_context(hospital_a):
        yield hospital_a


@pytest.fixture
def technician_a(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.LAB_TECHNICIAN, "Aynur Lab")


@pytest.fixture
def second_technician_a(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.LAB_TECHNICIAN, "Kamran Lab")
