"""Patient details for tests: a valid person, changed where a test needs it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from apps.patients.models import Patient, Sex
from apps.patients.services import PatientDetails, patient_register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def details(**changes: Any) -> PatientDetails:
    base = PatientDetails(
        first_name="Nizami",
        last_name="Aliyev",
        sex=Sex.MALE,
        birth_date=date(1984, 3, 12),
        phone="+994 50 123 45 67",
        email="nizami@example.com",
        address="12 Nizami Street, Baku",
        blood_group="O+",
        allergies="Penicillin",
        emergency_contact_name="Leyla Aliyeva",
        emergency_contact_phone="+994 55 765 43 21",
    )
    return replace(base, **changes)


def register(hospital: Hospital, **changes: Any) -> Patient:
    """A registered patient of ``hospital``; duplicates allowed."""
    with tenant_context(hospital):
        return patient_register(
            hospital=hospital, details=details(**changes), confirm_duplicates=True
        ).patient


def form_data(**changes: Any) -> dict[str, str]:
    """What the registration form posts for ``details(**changes)``."""
    values = details(**changes)
    return {
        name: value.isoformat() if isinstance(value, date) else str(value)
        for name, value in values.__dict__.items()
    }
