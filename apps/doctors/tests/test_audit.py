"""Adding and changing a doctor goes to the hospital's audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.audit.models import ClinicalEvent
from apps.doctors.services import doctor_create, doctor_update
from apps.doctors.tests.conftest import MONDAY_MORNING, Place, details_at
from apps.tenancy.models import Hospital

pytestmark = pytest.mark.usefixtures("in_hospital_a")


def test_a_doctors_creation_and_each_changed_field_are_recorded(
    hospital_a: Hospital, baku: Place
) -> None:
    saved = doctor_create(
        hospital=hospital_a, details=details_at(baku, full_name="Nigar Əliyeva"), schedule=[]
    )
    doctor_update(
        hospital=hospital_a,
        doctor=saved.doctor,
        details=details_at(baku, full_name="Nigar Əliyeva", consulting_fee=Decimal("55.00")),
        schedule=[MONDAY_MORNING],
    )
    created, updated = ClinicalEvent.objects.order_by("id")
    assert created.action == "doctor.created" and created.entity_id == str(saved.doctor.pk)
    assert created.changes["full_name"] == [None, "Nigar Əliyeva"]
    assert updated.action == "doctor.updated"
    assert updated.changes == {"consulting_fee": ["40.00", "55.00"]}
