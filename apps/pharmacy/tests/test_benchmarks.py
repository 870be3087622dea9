from __future__ import annotations

from apps.pharmacy.benchmarks import BATCHES_PER_LINE, CHECK_TARGET, LINES, clinic_benchmarks
from apps.pharmacy.models import Batch, Sale, SaleAllocation
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_clinic_benchmark_times_real_sales_of_ten_lines_from_five_batches_each(
    hospital_a: Hospital,
) -> None:
    measurement, check = clinic_benchmarks(hospital=hospital_a, runs=2)
    assert len(check.samples) == 2 and check.target == CHECK_TARGET
    assert len(measurement.samples) == 2 and all(s > 0 for s in measurement.samples)
    with tenant_context(hospital_a):
        # a warm-up and two counted sales, each drawing every batch stocked before it
        assert Sale.objects.count() == 3
        for sale in Sale.objects.all():
            assert (
                SaleAllocation.objects.filter(line__sale=sale).count() == LINES * BATCHES_PER_LINE
            )
        assert not Batch.objects.filter(quantity_on_hand__gt=0).exists()
