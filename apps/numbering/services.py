"""One atomic allocator for every document number of a hospital: invoices, receipts,
credit notes, sales, stock receipts, lab orders, prescriptions, admissions and patients."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F

from apps.core.exceptions import ValidationError
from apps.numbering.models import DocumentSeries
from apps.tenancy.db import current_alias, tenant_atomic
from apps.tenancy.models import Hospital

_KIND = re.compile(r"^[A-Z]{2,10}$")


def document_number_allocate(*, hospital: Hospital, kind: str, year: int | None = None) -> str:
    """The next number of ``kind`` in the selected hospital: ``<CODE>-<KIND>-<YEAR>-000001``
    (or ``<CODE>-<KIND>-000001`` without a year).

    Must be called inside the transaction that saves the document (``tenant_atomic``):
    the increment and the insert commit or roll back together, so no number is lost or
    handed out twice.
    """
    return document_numbers_allocate(hospital=hospital, kind=kind, year=year, count=1)[0]


def document_numbers_allocate(
    *, hospital: Hospital, kind: str, count: int, year: int | None = None
) -> list[str]:
    """The next ``count`` numbers of ``kind``, in order, taken in one increment (documents
    inserted in bulk, e.g. a benchmark's patients). The same rules as
    ``document_number_allocate``: inside the transaction that saves the documents."""
    if not _KIND.match(kind):
        raise ValidationError(f"A document kind is 2-10 capital letters, not {kind!r}.")
    if count < 1:
        raise ValueError(f"count must be 1 or more, not {count}")
    if not transaction.get_connection(current_alias()).in_atomic_block:
        raise RuntimeError("document_number_allocate must run inside tenant_atomic()")
    with tenant_atomic():
        series, _ = DocumentSeries.objects.select_for_update().get_or_create(
            kind=kind, year=year or 0
        )
        DocumentSeries.objects.filter(pk=series.pk).update(last_value=F("last_value") + count)
        series.refresh_from_db(fields=["last_value"])
    prefix = f"{hospital.code}-{kind}-{year}-" if year else f"{hospital.code}-{kind}-"
    first = series.last_value - count + 1
    return [f"{prefix}{value:06d}" for value in range(first, series.last_value + 1)]
