from __future__ import annotations

from apps.admissions.benchmarks import bed_map_ensure, bed_map_median_seconds
from apps.admissions.models import Bed, BedStatus
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_benchmark_ward_is_made_once_and_its_map_is_timed(hospital_a: Hospital) -> None:
    ward = bed_map_ensure(hospital=hospital_a, beds=12, occupied=5)
    assert bed_map_ensure(hospital=hospital_a, beds=12, occupied=5) == ward  # idempotent
    with tenant_context(hospital_a):
        assert Bed.objects.filter(room__ward=ward).count() == 12
        assert Bed.objects.filter(status=BedStatus.OCCUPIED).count() == 5
    assert bed_map_median_seconds(hospital=hospital_a, ward=ward, runs=2) > 0


def test_the_medication_record_and_order_check_benchmarks_measure(hospital_a: Hospital) -> None:
    from apps.admissions.benchmarks import (
        medication_record_benchmark,
        medication_record_ensure,
        order_check_benchmark,
    )
    from apps.admissions.models import MedicationOrder

    ward = medication_record_ensure(hospital=hospital_a, beds=3)
    assert medication_record_ensure(hospital=hospital_a, beds=3) == ward  # idempotent
    with tenant_context(hospital_a):
        assert MedicationOrder.objects.count() == 12
    assert order_check_benchmark(hospital=hospital_a, runs=2).samples
    del medication_record_benchmark  # the 40-bed run is timed by manage.py benchmark clinic
