"""Performed examinations as billing sees them: each study is one item at the price it
was ordered at, chargeable from the moment it is performed (a study cancelled before
that was never done, so never charged). Billing marks each item invoiced once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.billable import BillableItem
from apps.radiology.models import Study
from apps.radiology.services import RADIOLOGY_SOURCE


def _chargeable() -> QuerySet[Study]:
    return Study.objects.filter(performed_at__isnull=False)


def _item(study: Study) -> BillableItem:
    assert study.performed_at is not None  # only performed studies are chargeable
    return BillableItem(
        source=RADIOLOGY_SOURCE,
        reference=str(study.pk),
        patient_id=study.patient_id,
        description=_("Imaging: %(examination)s (%(number)s)")
        % {"examination": study.description, "number": study.number},
        quantity=Decimal(1),
        unit_price=study.price,
        occurred_at=study.performed_at,
    )


class ExaminationSource:
    key = RADIOLOGY_SOURCE
    label = gettext_lazy("Imaging examination")

    def items_for(self, *, patient_id: uuid.UUID) -> Iterable[BillableItem]:
        studies = _chargeable().filter(patient_id=patient_id).order_by("performed_at")
        return [_item(study) for study in studies]

    def item(self, *, reference: str) -> BillableItem | None:
        try:
            study_id = uuid.UUID(reference)
        except ValueError:
            return None
        study = _chargeable().filter(pk=study_id).first()
        return _item(study) if study else None


source = ExaminationSource()
