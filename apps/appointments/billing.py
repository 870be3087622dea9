"""The consultation fee as chargeable work (``apps.core.billable``): one item per
appointment that is not cancelled or a no-show, priced at the doctor's fee recorded when
it was booked."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.transitions import CONSULTATION_SOURCE
from apps.core.billable import BillableItem

#: appointments whose fee is not charged
NOT_CHARGED = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


class ConsultationSource:
    key = CONSULTATION_SOURCE
    # Lazy, so each reader sees it in their own language; it renders as the str the
    # protocol asks for.
    label: str = cast(str, gettext_lazy("Consultation"))

    def _item(self, appointment: Appointment) -> BillableItem:
        day = appointment.starts_at or appointment.checked_in_at or appointment.created_at
        return BillableItem(
            source=self.key,
            reference=str(appointment.pk),
            patient_id=appointment.patient_id,
            description=_("Consultation with %(doctor)s on %(date)s")
            % {"doctor": appointment.doctor.full_name, "date": appointment.date.isoformat()},
            quantity=Decimal("1"),
            unit_price=appointment.consultation_fee,
            occurred_at=day,
        )

    def items_for(self, *, patient_id: uuid.UUID) -> list[BillableItem]:
        appointments = (
            Appointment.objects.filter(patient_id=patient_id)
            .exclude(status__in=NOT_CHARGED)
            .select_related("doctor")
            .order_by("date", "starts_at", "created_at")
        )
        return [self._item(appointment) for appointment in appointments]

    def item(self, *, reference: str) -> BillableItem | None:
        try:
            appointment = (
                Appointment.objects.select_related("doctor")
                .exclude(status__in=NOT_CHARGED)
                .filter(pk=reference)
                .first()
            )
        except DjangoValidationError:  # not a UUID
            return None
        return self._item(appointment) if appointment is not None else None


source = ConsultationSource()
