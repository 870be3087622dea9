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
