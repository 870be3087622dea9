"""Bed days as billable items: one item per occupancy (a stretch in one bed), so a
transfer between wards of different rates is charged at each ward's rate.

The rule: days = calendar nights between moving in and moving out (local dates,
out − in), at least 1 — a patient admitted and discharged the same day pays one day; one
admitted on Monday evening and discharged on Wednesday morning pays two. Each occupancy
is charged at the rate its bed had when the patient moved in. An item exists only once
the occupancy has ended (transfer or discharge): its quantity never changes after
billing has put it on an invoice. A cancelled admission (before any bed day) charges
nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.admissions.models import AdmissionStatus, Occupancy
from apps.core.billable import BillableItem

KEY = "admissions.bed_days"


def bed_days(*, started_at: datetime, ended_at: datetime) -> int:
    nights = (timezone.localdate(ended_at) - timezone.localdate(started_at)).days
    return max(1, nights)


def _item(occupancy: Occupancy) -> BillableItem:
    assert occupancy.ended_at is not None
    bed = occupancy.bed
    return BillableItem(
        source=KEY,
        reference=str(occupancy.pk),
        patient_id=occupancy.admission.patient_id,
        description=_("Bed days: %(ward)s, room %(room)s, bed %(bed)s (%(admission)s)")
        % {
            "ward": bed.room.ward.name,
            "room": bed.room.name,
            "bed": bed.label,
            "admission": occupancy.admission.number,
        },
        quantity=Decimal(bed_days(started_at=occupancy.started_at, ended_at=occupancy.ended_at)),
        unit_price=occupancy.daily_rate,
        occurred_at=occupancy.ended_at,
    )


def _chargeable():  # type: ignore[no-untyped-def]
    return (
        Occupancy.objects.filter(ended_at__isnull=False)
        .exclude(admission__status=AdmissionStatus.CANCELLED)
        .select_related("admission", "bed__room__ward")
    )


class BedDaysSource:
    key = KEY
    label = gettext_lazy("Bed days")

    def items_for(self, *, patient_id: uuid.UUID) -> Iterator[BillableItem]:
        for occupancy in _chargeable().filter(admission__patient_id=patient_id):
            yield _item(occupancy)

    def item(self, *, reference: str) -> BillableItem | None:
        if not reference.isdigit():
            return None
        occupancy = _chargeable().filter(pk=int(reference)).first()
        return _item(occupancy) if occupancy is not None else None


source = BedDaysSource()
