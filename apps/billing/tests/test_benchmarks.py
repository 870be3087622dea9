from __future__ import annotations

from apps.billing.benchmarks import ITEMS, clinic_benchmarks
from apps.billing.models import Invoice, InvoiceStatus
from apps.core.modules import billable_sources
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_clinic_benchmark_invoices_twenty_items_through_the_real_pages(
    hospital_a: Hospital,
) -> None:
    sources_before = billable_sources()
    picker, create, issue = clinic_benchmarks(hospital=hospital_a, runs=1)
    assert [len(m.samples) for m in (picker, create, issue)] == [1, 1, 1]
    assert "20 unbilled items" in create.label and create.target == 0.050
    with tenant_context(hospital_a):
        invoices = list(Invoice.objects.all())
    # a warm-up run and a counted one, each a patient with every item on an issued invoice
    assert len(invoices) == 2
    assert all(i.status == InvoiceStatus.ISSUED and i.lines.count() == ITEMS for i in invoices)
    assert billable_sources() == sources_before  # the synthetic source is gone again
