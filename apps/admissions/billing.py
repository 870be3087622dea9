"""Bed days as billable items, counted by the midnight census: one bed day for each
midnight (the hospital's time) the patient spends in a bed, charged at the bed occupied
at that midnight. So a transfer never charges twice for one day: every midnight has one
bed.

- One item per occupancy (a stretch in one bed), its quantity the midnights inside it
  (a midnight at the very moment of a transfer belongs to the bed moved into), at the
  rate its bed had when the patient moved in. Its description carries the dates.
- A stay that crosses no midnight counts one day, charged at the bed where the stay
  began (the bed the patient was admitted to, whatever happened later that day): it is
  known only at discharge, so that first occupancy's item appears then.
- An item exists only once its quantity is final (the occupancy has ended, and for a
  stay without a midnight, the stay too), so it never changes on an invoice; an
  occupancy with no midnight of its own in a stay with midnights charges nothing.
- A cancelled admission (before any bed day) charges nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.admissions.models import (
    Admission,
    AdmissionStatus,
    DoseAdministration,
    DoseOutcome,
    Occupancy,
)
from apps.core.billable import BillableItem

KEY = "admissions.bed_days"


def midnights(*, started_at: datetime, ended_at: datetime) -> list[date]:
    """The days whose midnight (local time) falls in [started_at, ended_at): the bed
    days of a stretch in one bed."""
    zone = timezone.get_current_timezone()
    first = timezone.localdate(started_at)
    if datetime.combine(first, time.min, tzinfo=zone) < started_at:
        first += timedelta(days=1)  # that day's midnight was before moving in
    last = timezone.localdate(ended_at)
    if datetime.combine(last, time.min, tzinfo=zone) >= ended_at:
        last -= timedelta(days=1)  # moved out at that midnight or before it
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _stay_has_a_midnight(admission: Admission) -> bool:
    begun, ended = admission.admitted_at, admission.discharged_at
    assert ended is not None
    return bool(midnights(started_at=begun, ended_at=ended))


def _census(occupancy: Occupancy) -> tuple[int, date, date] | None:
    """(bed days, first day, last day) charged for an occupancy, or None while it has
    none (yet)."""
    assert occupancy.ended_at is not None
    started, ended = occupancy.started_at, occupancy.ended_at
    days = midnights(started_at=started, ended_at=ended)
    if days:
        # the night before each midnight: from the day before the first to the last
        return len(days), days[0] - timedelta(days=1), days[-1] - timedelta(days=1)
    admission = occupancy.admission
    if admission.discharged_at is None or _stay_has_a_midnight(admission):
        return None
    earlier = Q(started_at__lt=started) | Q(started_at=started, pk__lt=occupancy.pk)
    if admission.occupancies.filter(earlier).exists():
        return None  # the one day goes to the bed where the stay began
    return 1, timezone.localdate(started), timezone.localdate(admission.discharged_at)


def _item(occupancy: Occupancy) -> BillableItem | None:
    census = _census(occupancy)
    if census is None:
        return None
    days, first, last = census
    assert occupancy.ended_at is not None
    bed = occupancy.bed
    return BillableItem(
        source=KEY,
        reference=str(occupancy.pk),
        patient_id=occupancy.admission.patient_id,
        description=_(
            "Bed days %(from)s – %(until)s: %(ward)s, room %(room)s, bed %(bed)s (%(admission)s)"
        )
        % {
            "from": formats.date_format(first, "SHORT_DATE_FORMAT"),
            "until": formats.date_format(last, "SHORT_DATE_FORMAT"),
            "ward": bed.room.ward.name,
            "room": bed.room.name,
            "bed": bed.label,
            "admission": occupancy.admission.number,
        },
        quantity=Decimal(days),
        unit_price=occupancy.daily_rate,
        occurred_at=occupancy.ended_at,
    )


def _chargeable() -> QuerySet[Occupancy]:
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
            if (item := _item(occupancy)) is not None:
                yield item

    def item(self, *, reference: str) -> BillableItem | None:
        if not reference.isdigit():
            return None
        occupancy = _chargeable().filter(pk=int(reference)).first()
        return _item(occupancy) if occupancy is not None else None


source = BedDaysSource()


# -- medicines given on the ward --------------------------------------------------------

WARD_DOSES_KEY = "admissions.ward_doses"


def _given_doses() -> QuerySet[DoseAdministration]:
    return DoseAdministration.objects.filter(
        outcome=DoseOutcome.GIVEN, order__isnull=False, quantity__gt=0, unit_price__isnull=False
    ).select_related("order", "admission")


def _dose_item(dose: DoseAdministration) -> BillableItem:
    assert dose.order is not None and dose.unit_price is not None
    return BillableItem(
        source=WARD_DOSES_KEY,
        reference=str(dose.pk),
        patient_id=dose.admission.patient_id,
        description=_("%(medicine)s, dose given on the ward %(at)s (%(admission)s)")
        % {
            "medicine": dose.order.medicine,
            "at": formats.date_format(timezone.localtime(dose.at), "SHORT_DATETIME_FORMAT"),
            "admission": dose.admission.number,
        },
        quantity=Decimal(dose.quantity),
        unit_price=dose.unit_price,
        occurred_at=dose.at,
    )


class WardDosesSource:
    """Each dose of an order given on the ward that took units from the pharmacy's
    stock: charged once, at the medicine's price when it was given."""

    key = WARD_DOSES_KEY
    label = gettext_lazy("Medicines given on the ward")

    def items_for(self, *, patient_id: uuid.UUID) -> Iterator[BillableItem]:
        for dose in _given_doses().filter(admission__patient_id=patient_id):
            yield _dose_item(dose)

    def item(self, *, reference: str) -> BillableItem | None:
        if not reference.isdigit():
            return None
        dose = _given_doses().filter(pk=int(reference)).first()
        return _dose_item(dose) if dose is not None else None


ward_doses = WardDosesSource()
