"""Placeholder patients: registered without an identity, merged into the real record."""

from __future__ import annotations

import pytest

from apps.audit.models import ClinicalEvent
from apps.core.exceptions import ValidationError
from apps.patients.models import Patient
from apps.patients.placeholders import patient_merge_placeholder, patient_register_placeholder
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_a_placeholder_is_numbered_named_and_merged_without_being_deleted(
    hospital_a: Hospital,
) -> None:
    real = register(hospital_a)
    with tenant_context(hospital_a):
        placeholder = patient_register_placeholder(
            hospital=hospital_a, sex="male", estimated_age_years=50
        )
        assert placeholder.first_name == "Unknown"
        assert placeholder.last_name == f"Male {placeholder.number.rsplit('-', 1)[-1]}"
        assert placeholder.phone == ""
        with pytest.raises(ValidationError):
            patient_register_placeholder(hospital=hospital_a, sex="x", estimated_age_years=5)
        with pytest.raises(ValidationError):
            patient_merge_placeholder(placeholder=placeholder, into=placeholder)
        patient_merge_placeholder(placeholder=placeholder, into=real)
        assert Patient.objects.filter(pk=placeholder.pk).exists()
        merged = ClinicalEvent.objects.get(action="patient.merged")
        assert merged.changes["placeholder"] == placeholder.number
