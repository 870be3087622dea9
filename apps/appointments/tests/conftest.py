"""Fixtures and helpers shared by the appointments tests."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import NEXT_WEEK
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

# -- shared by the view tests (test_views_*.py) ----------------------------------------

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


@pytest.fixture
def desk_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


@pytest.fixture
def booked(hospital_a: Hospital) -> Appointment:
    """Today's appointment at midnight: already begun, so every action applies."""
    return make_appointment(hospital_a, doctor=make_doctor(hospital_a), at=time(0))


def reload(hospital: Hospital, appointment: Appointment) -> Appointment:
    with tenant_context(hospital):
        appointment.refresh_from_db()
    return appointment


def slot_post(patient, doctor, *, day=NEXT_WEEK, at_time="10:00", **extra) -> dict[str, Any]:
    return {
        "patient": str(patient.pk),
        "doctor": str(doctor.pk),
        "date": day.isoformat(),
        "time": at_time,
        "kind": "scheduled",
        **extra,
    }


def appointment_urls(appointment_id: object) -> dict[str, tuple[str, str]]:
    """Every per-appointment URL with the method that does something there."""
    base = f"/appointments/{appointment_id}/"
    return {
        "detail": ("get", base),
        "check_in": ("post", f"{base}check-in/"),
        "cancel": ("post", f"{base}cancel/"),
        "no_show": ("post", f"{base}no-show/"),
        "reschedule": ("get", f"{base}reschedule/"),
    }
