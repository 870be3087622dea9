"""The doctor's medication orders on an admission, and the nurse's record of their
doses.

An order is checked exactly as a consultation's prescription line is
(``apps.consultations.prescribing.prescription_line_checked``: the formulary, bounded
fields, the patient's allergies, and the same ingredient twice — here counting the
admission's running orders too). The admitting consultation's lines are carried over
as orders with one confirmation, keeping the warnings the doctor overrode and why.
Orders are held (and resumed) or stopped with a reason, never edited.

A dose of an order is given, held or refused (held and refused need a reason); a dose
given further from its time than the hospital's dose window needs one too. A dose
given of a formulary medicine takes its units from the pharmacy's stock in the same
transaction (``apps.pharmacy.services.ward``), and is charged once
(``apps.admissions.billing``, the ward doses source). Every act lands in the audit log.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.admissions import medication_record
from apps.admissions.models import (
    Admission,
    DoseAdministration,
    DoseOutcome,
    MedicationOrder,
    OrderHold,
    OrderStatus,
)
from apps.admissions.selectors import carried_item_ids, dose_window
from apps.admissions.services import _claim_active
from apps.audit.services import clinical_event_record
from apps.consultations.models import DoseUnit, Frequency, PrescriptionItem
from apps.consultations.prescribing import (
    ActiveLine,
    PrescriptionLine,
    prescription_line_checked,
)
from apps.core.exceptions import Conflict, ValidationError
from apps.pharmacy.services.ward import ward_dose_issue
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User

#: how far back or ahead a doctor may date an order's first dose
START_WITHIN = timedelta(days=7)
#: units a dose takes from stock when the dose is counted in them
COUNTED_UNITS = frozenset({DoseUnit.TABLET, DoseUnit.CAPSULE, DoseUnit.SACHET})
UNITS_PER_DOSE_MAX = 100


def default_units_per_dose(*, dose_amount: Decimal, dose_unit: str) -> int:
    """Tablets, capsules and sachets: as many as the dose (rounded up); anything else
    one dispensing unit (a vial, an ampoule) a dose."""
    if dose_unit in COUNTED_UNITS:
        return max(1, min(UNITS_PER_DOSE_MAX, math.ceil(dose_amount)))
    return 1


def running_order_lines(admission: Admission, at: datetime) -> list[ActiveLine]:
    """The admission's coded orders not stopped and not over at ``at``, as the
    duplicate check reads active medicines (plain values, one query: the check runs on
    every order)."""
    if admission.discharged_at is not None and admission.discharged_at <= at:
        return []
    rows = (
        MedicationOrder.objects.filter(admission=admission, formulary_medicine_id__isnull=False)
        .exclude(status=OrderStatus.STOPPED)
        .values_list(
            "formulary_medicine_id", "medicine", "ordered_at", "starts_at", "duration_days"
        )
    )
    return [
        ActiveLine(medicine_id, medicine, timezone.localdate(ordered_at), admission.number)
        for medicine_id, medicine, ordered_at, starts_at, days in rows
        if medicine_id is not None and starts_at + timedelta(days=days) > at
    ]


def _audit(action: str, order: MedicationOrder, changes: dict[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="medication_order",
        entity_id=order.pk,
        entity_label=f"{order.admission.number}: {order.medicine}",
        changes=changes,
    )


def _start(starts_at: datetime | None, now: datetime) -> datetime:
    if starts_at is None:
        return now
    if not now - START_WITHIN <= starts_at <= now + START_WITHIN:
        raise ValidationError(_("The first dose is within a week of now."), field="starts_at")
    return starts_at


def medication_order_create(
    *,
    admission: Admission,
    line: PrescriptionLine,
    ordered_by: User,
    starts_at: datetime | None = None,
    units_per_dose: int | None = None,
) -> MedicationOrder:
    """Order a medicine on the admission; its first dose is due at ``starts_at`` (now
    when None: "first dose now"). Raises ``InvalidDetails`` for a wrong field and
    ``NeedsOverride`` when it matches an allergy or a running medicine and no override
    reason was given."""
    now = timezone.now()
    start = _start(starts_at, now)
    if units_per_dose is not None and not 0 <= units_per_dose <= UNITS_PER_DOSE_MAX:
        raise ValidationError(
            _("Units per dose are 0 to %(max)d.") % {"max": UNITS_PER_DOSE_MAX},
            field="units_per_dose",
        )
    with tenant_atomic():
        _claim_active(admission)
        checked = prescription_line_checked(
            patient=admission.patient,
            line=line,
            also_active=running_order_lines(admission, now),
            excluding_items=carried_item_ids(patient_id=admission.patient_id),
        )
        medicine = checked.medicine
        assert line.dose_amount is not None and line.duration_days is not None
        order = MedicationOrder.objects.create(
            admission=admission,
            formulary_medicine_id=medicine.id if medicine else None,
            outside_formulary_reason=""
            if medicine
            else " ".join(line.outside_formulary_reason.split())[:300],
            medicine=medicine.name if medicine else " ".join(line.outside_formulary_name.split()),
            dose_amount=line.dose_amount,
            dose_unit=line.dose_unit,
            units_per_dose=units_per_dose
            if units_per_dose is not None
            else default_units_per_dose(dose_amount=line.dose_amount, dose_unit=line.dose_unit),
            route=line.route,
            frequency_code=line.frequency,
            every_hours=line.every_hours if line.frequency == Frequency.EVERY_HOURS else None,
            starts_at=start,
            duration_days=line.duration_days,
            instructions=line.instructions.strip()[:300],
            warnings_overridden=checked.warnings_overridden,
            override_reason=checked.override_reason[:300],
            ordered_at=now,
            ordered_by_id=ordered_by.pk,
        )
        _audit(
            "medication_order.created",
            order,
            {
                "medicine": order.medicine,
                "dose": order.dose_label,
                "route": order.route,
                "frequency": order.frequency_code,
                "starts_at": order.starts_at,
                "duration_days": order.duration_days,
                "override_reason": order.override_reason,
            },
        )
    return order


def medication_orders_carry_over(
    *,
    admission: Admission,
    items: Sequence[PrescriptionItem],
    ordered_by: User,
    starts_at: datetime | None = None,
) -> list[MedicationOrder]:
    """Continue the admitting consultation's prescription lines as orders on the
    admission (first dose at ``starts_at``, now when None), each once. The lines were
    checked when they were prescribed; their overridden warnings and reasons come
    along. No consultation is opened and nothing is charged for it."""
    now = timezone.now()
    start = _start(starts_at, now)
    try:
        return _carry_over(admission, items, ordered_by, start=start, now=now)
    except IntegrityError:
        raise Conflict(_("This prescription is already carried over.")) from None


def _carry_over(
    admission: Admission,
    items: Sequence[PrescriptionItem],
    ordered_by: User,
    *,
    start: datetime,
    now: datetime,
) -> list[MedicationOrder]:
    with tenant_atomic():
        _claim_active(admission)
        already = carried_item_ids(patient_id=admission.patient_id)
        orders = []
        for item in items:
            if item.prescription.consultation_id != admission.consultation_id:
                raise ValidationError(
                    _("Only the admitting consultation's prescription is carried over.")
                )
            if item.pk in already:
                raise Conflict(_("This prescription is already carried over."))
            if item.dose_amount is None or not item.frequency_code or not item.duration_days:
                raise ValidationError(
                    _(
                        "%(medicine)s was written before prescriptions were structured; "
                        "order it anew."
                    )
                    % {"medicine": item.medicine}
                )
            order = MedicationOrder.objects.create(
                admission=admission,
                formulary_medicine_id=item.formulary_medicine_id,
                outside_formulary_reason=item.outside_formulary_reason,
                medicine=item.medicine,
                dose_amount=item.dose_amount,
                dose_unit=item.dose_unit,
                units_per_dose=default_units_per_dose(
                    dose_amount=item.dose_amount, dose_unit=item.dose_unit
                ),
                route=item.route,
                frequency_code=item.frequency_code,
                every_hours=item.every_hours,
                starts_at=start,
                duration_days=item.duration_days,
                instructions=item.instructions,
                warnings_overridden=item.warnings_overridden,
                override_reason=item.override_reason,
                carried_from=item,
                ordered_at=now,
                ordered_by_id=ordered_by.pk,
            )
            _audit(
                "medication_order.carried_over",
                order,
                {"prescription": item.prescription.number, "starts_at": start},
            )
            orders.append(order)
    return orders


def _reason(reason: str, message: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(message, field="reason")
    return reason[:300]


def medication_order_hold(*, order: MedicationOrder, reason: str, held_by: User) -> MedicationOrder:
    """Hold the order: no dose is due until it is resumed."""
    reason = _reason(reason, _("Say why the medicine is held."))
    now = timezone.now()
    try:
        with tenant_atomic():
            _claim_active(order.admission)
            if not MedicationOrder.objects.filter(pk=order.pk, status=OrderStatus.ACTIVE).update(
                status=OrderStatus.HELD
            ):
                raise Conflict(_("Only a running order can be held."))
            OrderHold.objects.create(
                order=order, started_at=now, reason=reason, held_by_id=held_by.pk
            )
            _audit("medication_order.held", order, {"reason": reason})
    except IntegrityError:
        raise Conflict(_("Only a running order can be held.")) from None
    order.refresh_from_db()
    return order


def medication_order_resume(*, order: MedicationOrder, resumed_by: User) -> MedicationOrder:
    now = timezone.now()
    with tenant_atomic():
        _claim_active(order.admission)
        if not MedicationOrder.objects.filter(pk=order.pk, status=OrderStatus.HELD).update(
            status=OrderStatus.ACTIVE
        ):
            raise Conflict(_("This order is not on hold."))
        OrderHold.objects.filter(order=order, ended_at__isnull=True).update(
            ended_at=now, resumed_by_id=resumed_by.pk
        )
        _audit("medication_order.resumed", order, {})
    order.refresh_from_db()
    return order


def medication_order_stop(
    *, order: MedicationOrder, reason: str, stopped_by: User
) -> MedicationOrder:
    """Stop the order for good: no dose is due after now."""
    reason = _reason(reason, _("Say why the medicine is stopped."))
    now = timezone.now()
    with tenant_atomic():
        _claim_active(order.admission)
        if not MedicationOrder.objects.filter(
            pk=order.pk, status__in=[OrderStatus.ACTIVE, OrderStatus.HELD]
        ).update(
            status=OrderStatus.STOPPED,
            stopped_at=now,
            stopped_by_id=stopped_by.pk,
            stop_reason=reason,
        ):
            raise Conflict(_("This order is already stopped."))
        OrderHold.objects.filter(order=order, ended_at__isnull=True).update(
            ended_at=now, resumed_by_id=stopped_by.pk
        )
        _audit("medication_order.stopped", order, {"reason": reason})
    order.refresh_from_db()
    return order


@dataclass(frozen=True)
class OrderDose:
    """What the nurse records of one dose of an order."""

    outcome: str
    #: the dose's time on the chart; for an as-needed order, None (given now or ``at``)
    scheduled_at: datetime | None = None
    at: datetime | None = None
    reason: str = ""


def order_dose_record(
    *, order: MedicationOrder, dose: OrderDose, recorded_by: User
) -> DoseAdministration:
    """Record one dose of the order. Held and refused need a reason, and so does a dose
    given outside the hospital's window around its time. A dose given of a formulary
    medicine takes its units from the pharmacy's stock, or is refused when there are
    not enough."""
    now = timezone.now()
    at = dose.at or now
    reason = " ".join(dose.reason.split())[:300]
    admission = order.admission
    if dose.outcome not in DoseOutcome.values:
        raise ValidationError(_("Choose given, held or refused."), field="outcome")
    if dose.outcome != DoseOutcome.GIVEN and not reason:
        raise ValidationError(_("Say why the dose was not given."), field="reason")
    if at > now + timedelta(minutes=5):
        raise ValidationError(_("The time cannot be in the future."), field="at")
    scheduled = dose.scheduled_at or at
    if order.as_needed:
        scheduled = at  # given on demand: its time is when it was given
        if at < order.starts_at or at > medication_record.order_end(order, admission):
            raise ValidationError(_("The order does not run at that time."), field="at")
    else:
        if not medication_record.is_due(order, admission, scheduled, list(order.holds.all())):
            raise ValidationError(_("No dose of this medicine is due at that time."), field="item")
        window = dose_window()
        if dose.outcome == DoseOutcome.GIVEN and abs(at - scheduled) > window and not reason:
            raise ValidationError(
                _(
                    "This dose was due at %(due)s: given more than %(minutes)d minutes "
                    "from its time, it needs a reason."
                )
                % {
                    "due": timezone.localtime(scheduled).strftime("%H:%M"),
                    "minutes": window.total_seconds() // 60,
                },
                field="reason",
            )
    try:
        with tenant_atomic():
            _claim_active(admission)
            quantity, unit_price = 0, None
            if (
                dose.outcome == DoseOutcome.GIVEN
                and order.formulary_medicine_id is not None
                and order.units_per_dose > 0
            ):
                issue = ward_dose_issue(
                    medicine_id=order.formulary_medicine_id,
                    quantity=order.units_per_dose,
                    reference=admission.number,
                    by=recorded_by,
                    at=at,
                )
                quantity, unit_price = issue.quantity, issue.unit_price
            record = DoseAdministration.objects.create(
                admission=admission,
                order=order,
                scheduled_at=scheduled,
                outcome=dose.outcome,
                at=at,
                reason=reason,
                recorded_by_id=recorded_by.pk,
                quantity=quantity,
                unit_price=unit_price,
            )
            clinical_event_record(
                action=f"dose.{dose.outcome}",
                entity="dose",
                entity_id=record.pk,
                entity_label=f"{admission.number}: {order.medicine}",
                changes={
                    "scheduled_at": scheduled,
                    "at": at,
                    "reason": reason,
                    "units_from_stock": quantity,
                },
            )
    except IntegrityError:
        raise Conflict(_("This dose is already recorded.")) from None
    return record
