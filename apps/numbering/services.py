"""One atomic allocator for every document number of a hospital."""

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
    if not _KIND.match(kind):
        raise ValidationError(f"A document kind is 2-10 capital letters, not {kind!r}.")
    if not transaction.get_connection(current_alias()).in_atomic_block:
        raise RuntimeError("document_number_allocate must run inside tenant_atomic()")
    with tenant_atomic():
        series, _ = DocumentSeries.objects.select_for_update().get_or_create(
            kind=kind, year=year or 0
        )
        DocumentSeries.objects.filter(pk=series.pk).update(last_value=F("last_value") + 1)
        series.refresh_from_db(fields=["last_value"])
    prefix = f"{hospital.code}-{kind}-{year}-" if year else f"{hospital.code}-{kind}-"
    return f"{prefix}{series.last_value:06d}"
