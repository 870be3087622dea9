from __future__ import annotations

from apps.patients.benchmarks import patients_bulk_load
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_a_bulk_load_numbers_its_patients_from_the_hospitals_series(hospital_a: Hospital) -> None:
    register(hospital_a)
    patients_bulk_load(hospital_a, count=3)
    with tenant_context(hospital_a):
        numbers = sorted(Patient.objects.values_list("number", flat=True))
    assert numbers == [f"{hospital_a.code}-PAT-{n:06d}" for n in range(1, 5)]
    # ... and registration carries on after them
    assert register(hospital_a, first_name="Samir").number == f"{hospital_a.code}-PAT-000005"
