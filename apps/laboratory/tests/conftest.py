"""Fixtures for laboratory tests: the seeded catalogue of a hospital, patients of a
given sex and age, and orders placed through the service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_doctor
from apps.doctors.models import Doctor
from apps.laboratory.models import LabOrder, LabPanel, LabTest
from apps.laboratory.services import (
    lab_order_approve,
    lab_order_collect,
    lab_order_place,
    lab_results_submit,
    result_field,
)
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


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


# -- shared by the view tests (test_views_*.py) ----------------------------------------

NORMAL_CBC = {"HGB": "14.2", "HCT": "44", "RBC": "5.0", "WBC": "6.1", "PLT": "250", "MCV": "90"}


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def fields_of(hospital: Hospital, order: LabOrder, **by_code: str) -> dict[str, str]:
    with tenant_context(hospital):
        results = {r.test.code: r for r in order.results.select_related("test")}
    return {result_field(results[code]): value for code, value in by_code.items()}


def reload(hospital: Hospital, order: LabOrder) -> LabOrder:
    with tenant_context(hospital):
        return LabOrder.objects.get(pk=order.pk)


def item(hospital: Hospital, code: str) -> str:
    with tenant_context(hospital):
        panel = LabPanel.objects.filter(code=code).first()
        if panel is not None:
            return f"panel:{panel.pk}"
        return f"test:{LabTest.objects.get(code=code).pk}"


def linked_doctor(hospital: Hospital, user: User, name: str = "Dr Rəşad Quliyev") -> Doctor:
    doctor = make_doctor(hospital, name=name)
    with tenant_context(hospital):
        doctor.user_id = user.pk
        doctor.save(update_fields=["user_id"])
    return doctor


@pytest.fixture
def technician(hospital_a: Hospital, technician_a: User) -> Client:
    return hospital_client(hospital_a, technician_a)


@pytest.fixture
def order_a(hospital_a: Hospital) -> LabOrder:
    return place(hospital_a, patient_of(hospital_a, sex="male"))


def collected(hospital: Hospital, order: LabOrder, user: User) -> LabOrder:
    with tenant_context(hospital):
        return lab_order_collect(order=order, user=user)


def resulted(hospital: Hospital, order: LabOrder, user: User, **changes: str) -> LabOrder:
    collected(hospital, order, user)
    with tenant_context(hospital):
        return lab_results_submit(
            order=order, values=fields_of(hospital, order, **{**NORMAL_CBC, **changes}), user=user
        )


def approved(hospital: Hospital, order: LabOrder, user: User, approver: User) -> LabOrder:
    resulted(hospital, order, user, HGB="18.4")
    with tenant_context(hospital):
        return lab_order_approve(order=order, user=approver)


def haemoglobin() -> LabTest:
    return LabTest.objects.get(code="HGB")
