"""Lab orders from placing to approval, and corrections after it.

One function per transition, each a conditional update (``WHERE status IN (allowed)``)
inside the hospital's transaction, so two people acting on one order at once cannot
both move it; the loser gets ``Conflict``:

    lab_order_collect     Ordered → Sample collected
    lab_results_submit    Sample collected → Resulted (→ Approved when the hospital does
                          not require a second person)
    lab_order_approve     Resulted → Approved (by someone other than who entered them,
                          or amended one of them since the last approval)
    lab_order_cancel      Ordered | Sample collected → Cancelled
    lab_order_return_for_approval
                          Approved → Resulted: an amended result awaits a second
                          person again (where the hospital requires one)

Results are typed while the sample is collected (``lab_results_record``, as often as
needed); after approval they are locked and only ``lab_result_amend`` changes one,
keeping the original and the approval it undid.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.appointments.models import Appointment, AppointmentStatus
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core import billable
from apps.core.exceptions import Conflict, ValidationError
from apps.core.names import display_name
from apps.core.numbers import decimal_display, decimal_parse
from apps.doctors.models import Doctor
from apps.laboratory.models import (
    Flag,
    LabOrder,
    LabOrderLine,
    LabPanel,
    LabResult,
    LabResultAmendment,
    LabSettings,
    LabTest,
    OrderStatus,
    Priority,
    RangeSex,
    ReferenceRange,
)
from apps.numbering.services import document_number_allocate
from apps.patients.models import Patient
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

#: the billable source key of ordered tests (see apps.laboratory.billing)
LAB_TEST_SOURCE = "laboratory.test"


class InvalidResults(ValidationError):
    """Several results may be wrong at once; ``errors`` maps each form field
    (``result_<id>``) to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field = next(iter(errors))
        super().__init__(errors[first_field], field=first_field)
        self.errors = errors


def _audit(action: str, order: LabOrder, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="lab_order",
        entity_id=order.pk,
        entity_label=order.number,
        patient=order.patient,
        changes=changes,
    )


def result_field(result: LabResult) -> str:
    """The form field of a result on the entry form (and the key of its error)."""
    return f"result_{result.pk}"


# -- settings --------------------------------------------------------------------------


def lab_settings_get() -> LabSettings:
    """The hospital's lab settings; the defaults until an administrator saves them (a
    read never writes)."""
    return LabSettings.objects.filter(pk=1).first() or LabSettings(pk=1)


@audited("settings.changed")
def lab_settings_update(*, approval_required: bool) -> LabSettings:
    with tenant_atomic():
        before = lab_settings_get().approval_required
        settings, _created = LabSettings.objects.update_or_create(
            pk=1, defaults={"approval_required": approval_required}
        )
        clinical_event_record(
            action="settings.changed",
            entity="lab_settings",
            entity_id=settings.pk,
            changes={"approval_required": [before, approval_required]},
        )
    return settings


# -- catalogue ---------------------------------------------------------------------------


@audited("lab_test.updated")
def lab_catalogue_item_update(
    *, item: LabTest | LabPanel, price: Decimal, is_active: bool
) -> LabTest | LabPanel:
    """The hospital's price of a test or panel and whether it is offered; orders already
    placed keep the price they were placed at."""
    if price < 0:
        raise ValidationError(_("A price cannot be negative."), field="price")
    if price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("A price has at most two decimal places."), field="price")
    changes = {"price": [item.price, price], "is_active": [item.is_active, is_active]}
    item.price = price
    item.is_active = is_active
    with tenant_atomic():
        item.save(update_fields=["price", "is_active"])
        clinical_event_record(
            action="lab_test.updated",
            entity=item._meta.model_name or "",
            entity_id=item.pk,
            entity_label=item.code,
            changes=changes,
        )
    return item


# -- ranges and flags --------------------------------------------------------------------


def age_in_days(*, birth_date: date, on: date) -> int:
    return max((on - birth_date).days, 0)


def reference_range_for(
    *, ranges: Iterable[ReferenceRange], sex: str, age_days: int
) -> ReferenceRange | None:
    """The range that applies to a patient of ``sex`` aged ``age_days``: one for their
    sex wins over one for any sex; a patient of another or unknown sex gets only the
    ranges for any sex (none for haemoglobin of adults: no flag then, not a wrong one)."""
    matching = [
        r
        for r in ranges
        if (r.age_min_days is None or age_days >= r.age_min_days)
        and (r.age_max_days is None or age_days < r.age_max_days)
        and r.sex in (sex, RangeSex.ANY)
    ]
    matching.sort(key=lambda r: r.sex == RangeSex.ANY)
    return matching[0] if matching else None


def result_flag(*, value: Decimal, low: Decimal | None, high: Decimal | None) -> str:
    if low is None and high is None:
        return Flag.NONE
    if low is not None and value < low:
        return Flag.LOW
    if high is not None and value > high:
        return Flag.HIGH
    return Flag.NORMAL


def parse_number(text: str) -> Decimal:
    """``"13,5"`` or ``"13.5"`` → ``Decimal("13.5")``, as every decimal input reads
    (apps.core.numbers); raises ValueError if not a number."""
    return decimal_parse(text.strip())


def _plain(number: Decimal) -> str:
    """A limit as people write it, in the reader's format: ``Decimal("25.0000")`` → 25."""
    return decimal_display(number, trim=True)


@dataclass(frozen=True)
class CheckedValue:
    value: str
    numeric_value: Decimal | None
    flag: str
    reference_low: Decimal | None
    reference_high: Decimal | None


def result_value_check(*, result: LabResult, text: str, patient: Patient, on: date) -> CheckedValue:
    """``text`` as the result of ``result``'s test for ``patient`` on ``on``: a number
    within the plausible limits, flagged against the patient's range (or any text for a
    descriptive test). Raises ValidationError with the reason."""
    test = result.test
    text = " ".join(text.split())
    if len(text) > 200:
        raise ValidationError(_("A result is at most 200 characters."))
    if not test.is_numeric:
        return CheckedValue(text, None, Flag.NONE, None, None)
    try:
        number = parse_number(text)
    except ValueError:
        raise ValidationError(_("Enter a number, e.g. 13.5.")) from None
    if test.plausible_low is not None and number < test.plausible_low:
        raise ValidationError(
            _("%(value)s %(unit)s is below the lowest plausible value (%(low)s): check it.")
            % {"value": text, "unit": test.unit, "low": _plain(test.plausible_low)}
        )
    if test.plausible_high is not None and number > test.plausible_high:
        raise ValidationError(
            _("%(value)s %(unit)s is above the highest plausible value (%(high)s): check it.")
            % {"value": text, "unit": test.unit, "high": _plain(test.plausible_high)}
        )
    reference = reference_range_for(
        ranges=test.ranges.all(),
        sex=patient.sex,
        age_days=age_in_days(birth_date=patient.birth_date, on=on),
    )
    low = reference.low if reference else None
    high = reference.high if reference else None
    return CheckedValue(
        format(number, "f"), number, result_flag(value=number, low=low, high=high), low, high
    )


# -- placing an order ---------------------------------------------------------------------


def _checked_items(
    panels: Sequence[LabPanel], tests: Sequence[LabTest]
) -> list[tuple[LabTest, LabPanel | None]]:
    """Every test the order will hold, each once, with the panel it comes in (None when
    ordered alone); raises on an empty order, an inactive item or a test ordered twice."""
    if not panels and not tests:
        raise ValidationError(_("Choose at least one test or panel."), field="items")
    items: list[LabPanel | LabTest] = [*panels, *tests]
    for item in items:
        if not item.is_active:
            raise ValidationError(
                _("%(name)s is not offered any more.") % {"name": display_name(item)}, field="items"
            )
    seen: dict[int, str] = {}
    ordered: list[tuple[LabTest, LabPanel | None]] = []
    for panel in panels:
        for component in panel.components.select_related("test"):
            if component.test_id in seen:
                raise ValidationError(
                    _("%(test)s is in both %(first)s and %(second)s; order it once.")
                    % {
                        "test": display_name(component.test),
                        "first": seen[component.test_id],
                        "second": display_name(panel),
                    },
                    field="items",
                )
            seen[component.test_id] = display_name(panel)
            ordered.append((component.test, panel))
    for test in tests:
        if test.pk in seen:
            raise ValidationError(
                _("%(test)s is already in %(panel)s; order it once.")
                % {"test": display_name(test), "panel": seen[test.pk]},
                field="items",
            )
        seen[test.pk] = display_name(test)
        ordered.append((test, None))
    return ordered


@audited("lab_order.placed")
def lab_order_place(
    *,
    hospital: Hospital,
    patient: Patient,
    panels: Sequence[LabPanel] = (),
    tests: Sequence[LabTest] = (),
    priority: str = Priority.ROUTINE,
    ordered_by: User | None = None,
    ordering_doctor: Doctor | None = None,
    appointment: Appointment | None = None,
    clinical_notes: str = "",
) -> LabOrder:
    """Order ``panels`` and single ``tests`` for ``patient``, numbered
    ``<CODE>-LAB-<year>-000001``. From a consultation pass its ``appointment``: the
    patient must be the appointment's, and its doctor orders unless another is given.

    A doctor orders in their own name: when ``ordered_by`` is linked to a doctor record,
    that doctor is the ordering doctor whatever ``ordering_doctor`` says. Anyone else
    naming a doctor (or ordering in a doctor's appointment) enters that doctor's verbal
    or written order: the order is marked as transcribed by them."""
    if priority not in Priority.values:
        raise ValidationError(_("Choose routine or urgent."), field="priority")
    own_doctor = _doctor_of(ordered_by)
    if own_doctor is not None:
        ordering_doctor = own_doctor
    if appointment is not None:
        if appointment.patient_id != patient.pk:
            raise ValidationError(_("This appointment is another patient's."), field="appointment")
        if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
            raise ValidationError(
                _("This appointment is %(status)s; tests cannot be ordered in it.")
                % {"status": appointment.get_status_display()},
                field="appointment",
            )
        ordering_doctor = ordering_doctor or appointment.doctor
    if ordering_doctor is not None and not ordering_doctor.is_active:
        raise ValidationError(
            _("%(doctor)s is no longer active.") % {"doctor": ordering_doctor.full_name},
            field="ordering_doctor",
        )
    tests_in_order = _checked_items(panels, tests)
    with tenant_atomic():
        now = timezone.now()
        # allocated first: the series' lock orders two placements for one visit, so the
        # second sees the first's tests
        number = document_number_allocate(
            hospital=hospital, kind="LAB", year=timezone.localdate(now).year
        )
        if appointment is not None:
            _refuse_ordered_in_visit(appointment, [test for test, _panel in tests_in_order])
        order = LabOrder.objects.create(
            number=number,
            patient=patient,
            appointment=appointment,
            ordering_doctor=ordering_doctor,
            priority=priority,
            clinical_notes=clinical_notes.strip(),
            ordered_by_id=ordered_by.pk if ordered_by else None,
            transcribed_by_id=(
                ordered_by.pk
                if ordered_by is not None and own_doctor is None and ordering_doctor is not None
                else None
            ),
        )
        lines = [
            LabOrderLine(order=order, panel=panel, description=panel.name, price=panel.price)
            for panel in panels
        ] + [
            LabOrderLine(order=order, test=test, description=test.name, price=test.price)
            for test in tests
        ]
        for position, line in enumerate(lines):
            line.position = position
        LabOrderLine.objects.bulk_create(lines)
        panel_lines = {line.panel_id: line for line in lines if line.panel_id}
        test_lines = {line.test_id: line for line in lines if line.test_id}
        results = [
            LabResult(
                order=order,
                line=panel_lines[panel.pk] if panel else test_lines[test.pk],
                test=test,
                position=position,
                unit=test.unit,
            )
            for position, (test, panel) in enumerate(tests_in_order)
        ]
        LabResult.objects.bulk_create(results)
        _audit(
            "lab_order.placed",
            order,
            {
                "tests": [line.description for line in lines],
                "priority": priority,
                "ordering_doctor": str(ordering_doctor) if ordering_doctor else None,
                "transcribed": order.transcribed_by_id is not None,
            },
        )
    logger.info("placed lab order %s", order.number)
    return order


def _refuse_ordered_in_visit(appointment: Appointment, tests: Sequence[LabTest]) -> None:
    """A test already ordered in this visit (and not cancelled) is not ordered again: a
    second order of it is a copy of the first (Back and "Place order" again)."""
    already = (
        LabResult.objects.filter(order__appointment=appointment, test__in=tests)
        .exclude(order__status=OrderStatus.CANCELLED)
        .select_related("test", "order")
        .first()
    )
    if already is not None:
        raise ValidationError(
            _("%(test)s is already ordered in this visit (%(number)s).")
            % {"test": display_name(already.test), "number": already.order.number},
            field="items",
        )


def _doctor_of(user: User | None) -> Doctor | None:
    """The doctor record a login is linked to, if any."""
    if user is None:
        return None
    return Doctor.objects.filter(user_id=user.pk).first()


# -- transitions ----------------------------------------------------------------------------


def _move(
    order: LabOrder, *, allowed_from: tuple[OrderStatus, ...], to: OrderStatus, **fields: Any
) -> LabOrder:
    moved = LabOrder.objects.filter(pk=order.pk, status__in=allowed_from).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not moved:
        order.refresh_from_db(fields=["status"])
        raise _cannot_become(order, to)
    order.refresh_from_db()
    return order


def _cannot_become(order: LabOrder, to: OrderStatus) -> Conflict:
    return Conflict(
        _("This order is %(status)s and cannot become %(target)s.")
        % {"status": order.get_status_display(), "target": to.label},
        field="status",
    )


@audited("lab_order.collected")
def lab_order_collect(*, order: LabOrder, user: User, at: datetime | None = None) -> LabOrder:
    """The sample is taken: Ordered → Sample collected, recording who and when."""
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError(
            _("The sample cannot be collected in the future."), field="collected_at"
        )
    if at < order.created_at:
        raise ValidationError(
            _("The sample cannot be collected before the order was placed."), field="collected_at"
        )
    with tenant_atomic():
        collected = _move(
            order,
            allowed_from=(OrderStatus.ORDERED,),
            to=OrderStatus.COLLECTED,
            collected_at=at,
            collected_by_id=user.pk,
        )
        _audit(
            "lab_order.collected",
            collected,
            {"status": [OrderStatus.ORDERED, collected.status], "collected_at": at},
        )
        return collected


def _refuse_unless_taking_results(status: str) -> None:
    if status in (OrderStatus.RESULTED, OrderStatus.APPROVED):
        raise Conflict(_("The results of this order are submitted and locked; amend them instead."))
    if status != OrderStatus.COLLECTED:
        raise Conflict(
            _("Results are entered once the sample is collected (this order is %(status)s).")
            % {"status": OrderStatus(status).label}
        )


def _lock_for_results(order: LabOrder) -> None:
    """Inside the transaction: refuse unless the order is still taking results (and
    hold it, so an approval or a cancel cannot slip in between)."""
    if not LabOrder.objects.filter(pk=order.pk, status=OrderStatus.COLLECTED).update(
        updated_at=timezone.now()
    ):
        order.refresh_from_db(fields=["status"])
        _refuse_unless_taking_results(order.status)
        raise Conflict(_("The results of this order are submitted and locked; amend them instead."))


@audited("lab_order.results_recorded")
def lab_results_record(
    *, order: LabOrder, values: Mapping[str, str], user: User, complete: bool = False
) -> list[LabResult]:
    """Save the typed results (``values``: ``result_<id>`` → text; a missing or empty one
    stays empty). Every wrong value is reported at once (InvalidResults) and nothing is
    saved then; with ``complete`` every result must be filled in. An order not taking
    results says so first: its values are not checked then (no form shows them)."""
    current = LabOrder.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    _refuse_unless_taking_results(current or order.status)
    results = list(
        order.results.select_related("test").prefetch_related("test__ranges").order_by("position")
    )
    on = timezone.localdate(order.collected_at) if order.collected_at else timezone.localdate()
    errors: dict[str, str] = {}
    checked: dict[int, CheckedValue | None] = {}
    for result in results:
        field = result_field(result)
        text = values.get(field, result.value) or ""
        if not text.strip():
            checked[result.pk] = None
            if complete:
                errors[field] = _("Enter the result of %(test)s.") % {
                    "test": display_name(result.test)
                }
            continue
        try:
            checked[result.pk] = result_value_check(
                result=result, text=text, patient=order.patient, on=on
            )
        except ValidationError as exc:
            errors[field] = exc.message
    if errors:
        raise InvalidResults(errors)
    now = timezone.now()
    with tenant_atomic():
        _lock_for_results(order)
        changes: dict[str, list[str]] = {}
        for result in results:
            value = checked[result.pk]
            before = result.value
            if value is None:
                if result.value:
                    _apply(result, CheckedValue("", None, Flag.NONE, None, None), by=None, at=None)
            elif value.value != result.value or not result.entered_at:
                _apply(result, value, by=user, at=now)
            if result.value != before:
                changes[result.test.code] = [before, result.value]
        # recorded even when nothing changed: the entry form was saved (and the order
        # touched) by this person at this time
        _audit("lab_order.results_recorded", order, changes)
    return results


def _apply(
    result: LabResult,
    value: CheckedValue,
    *,
    by: User | None,
    at: datetime | None,
    keep_entry: bool = False,
) -> None:
    result.value = value.value
    result.numeric_value = value.numeric_value
    result.flag = value.flag
    result.reference_low = value.reference_low
    result.reference_high = value.reference_high
    result.unit = result.test.unit
    if not keep_entry:
        result.entered_at = at
        result.entered_by_id = by.pk if by else None
    result.save(
        update_fields=[
            "value",
            "numeric_value",
            "flag",
            "reference_low",
            "reference_high",
            "unit",
            "entered_at",
            "entered_by_id",
        ]
    )


@audited("lab_order.results_submitted")
def lab_results_submit(*, order: LabOrder, values: Mapping[str, str], user: User) -> LabOrder:
    """Save the results and hand them in: every result must be filled in. Sample
    collected → Resulted, or straight to Approved (by the same person) where the
    hospital does not require a second person."""
    with tenant_atomic():
        lab_results_record(order=order, values=values, user=user, complete=True)
        now = timezone.now()
        if lab_settings_get().approval_required:
            moved = _move(
                order,
                allowed_from=(OrderStatus.COLLECTED,),
                to=OrderStatus.RESULTED,
                resulted_at=now,
                resulted_by_id=user.pk,
            )
        else:
            moved = _move(
                order,
                allowed_from=(OrderStatus.COLLECTED,),
                to=OrderStatus.APPROVED,
                resulted_at=now,
                resulted_by_id=user.pk,
                approved_at=now,
                approved_by_id=user.pk,
            )
        _audit(
            "lab_order.results_submitted",
            moved,
            {"status": [OrderStatus.COLLECTED, moved.status]},
        )
        return moved


def _amendments_awaiting_approval(order: LabOrder) -> Any:
    return LabResultAmendment.objects.filter(result__order=order, approved_at__isnull=True)


@audited("lab_order.approved")
def lab_order_approve(*, order: LabOrder, user: User) -> LabOrder:
    """Resulted → Approved; the results are locked from now on. Where the hospital
    requires it, the approver must be someone other than who entered the results and
    than who amended one of them since the last approval. An order already approved
    (or not awaiting approval) says so first."""
    order.refresh_from_db(fields=["status"])
    if order.status != OrderStatus.RESULTED:
        raise _cannot_become(order, OrderStatus.APPROVED)
    if lab_settings_get().approval_required:
        if order.resulted_by_id == user.pk:
            raise ValidationError(
                _("You entered these results; a second person must approve them."),
                field="approve",
            )
        if _amendments_awaiting_approval(order).filter(amended_by_id=user.pk).exists():
            raise ValidationError(
                _("You amended these results; a second person must approve them."),
                field="approve",
            )
    now = timezone.now()
    with tenant_atomic():
        approved = _move(
            order,
            allowed_from=(OrderStatus.RESULTED,),
            to=OrderStatus.APPROVED,
            approved_at=now,
            approved_by_id=user.pk,
        )
        amendments = _amendments_awaiting_approval(order).update(
            approved_by_id=user.pk, approved_at=now
        )
        _audit(
            "lab_order.approved",
            approved,
            {"status": [OrderStatus.RESULTED, approved.status], "amendments": amendments},
        )
        return approved


@audited("lab_order.returned_for_approval")
def lab_order_return_for_approval(*, order: LabOrder) -> LabOrder:
    """Approved → Resulted ("awaiting approval"): a result was amended where the
    hospital requires a second person, so the amended value awaits someone other than
    the amender. The approval undone is kept on the amendment by ``lab_result_amend``."""
    approved_by_id = order.approved_by_id
    with tenant_atomic():
        returned = _move(
            order,
            allowed_from=(OrderStatus.APPROVED,),
            to=OrderStatus.RESULTED,
            approved_at=None,
            approved_by_id=None,
        )
        _audit(
            "lab_order.returned_for_approval",
            returned,
            {
                "status": [OrderStatus.APPROVED, returned.status],
                "approved_by_id": [approved_by_id, None],
            },
        )
    return returned


@audited("lab_order.cancelled")
def lab_order_cancel(*, order: LabOrder, user: User, reason: str) -> LabOrder:
    """Ordered | Sample collected → Cancelled, with a reason. The tests leave an unpaid
    draft invoice; on an issued invoice the cancel is refused (billing says why)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Say why the order is cancelled."), field="reason")
    with tenant_atomic():
        # _move refreshes ``order`` itself: the state it leaves is read first
        previous = LabOrder.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        cancelled = _move(
            order,
            allowed_from=(OrderStatus.ORDERED, OrderStatus.COLLECTED),
            to=OrderStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancelled_by_id=user.pk,
            cancel_reason=reason[:300],
        )
        for line in order.lines.all():
            billable.withdraw(source=LAB_TEST_SOURCE, reference=str(line.pk))
        _audit(
            "lab_order.cancelled",
            cancelled,
            {"status": [previous, cancelled.status], "reason": cancelled.cancel_reason},
        )
    logger.info("cancelled lab order %s", order.number)
    return cancelled


@audited("lab_result.amended")
def lab_result_amend(*, result: LabResult, value: str, reason: str, user: User) -> LabResult:
    """Correct a result of an approved order: the new value is checked and flagged like
    any other, the original is kept in an amendment with who, when and why."""
    errors: dict[str, str] = {}
    reason = " ".join(reason.split())
    if not reason:
        errors["reason"] = _("Say why the result is amended.")
    order = result.order
    checked: CheckedValue | None = None
    if not value.strip():
        errors["value"] = _("Enter the corrected result.")
    else:
        try:
            checked = result_value_check(
                result=result,
                text=value,
                patient=order.patient,
                on=timezone.localdate(order.collected_at or order.created_at),
            )
        except ValidationError as exc:
            errors["value"] = exc.message
    if checked is not None and checked.value == result.value:
        errors["value"] = _("This is the result already recorded.")
    if errors:
        raise InvalidResults(errors)
    assert checked is not None
    second_person = lab_settings_get().approval_required
    with tenant_atomic():
        order.refresh_from_db(fields=["status", "approved_at", "approved_by_id"])
        undone_by, undone_at = order.approved_by_id, order.approved_at
        if order.status == OrderStatus.APPROVED and second_person:
            try:
                lab_order_return_for_approval(order=order)
            except Conflict:
                raise _not_amendable() from None
        elif not _amendable_in_place(order):
            raise _not_amendable()
        now = timezone.now()
        amendment_before, flag_before = result.value, result.flag
        LabResultAmendment.objects.create(
            result=result,
            previous_value=result.value,
            previous_flag=result.flag,
            new_value=checked.value,
            new_flag=checked.flag,
            reason=reason[:300],
            amended_by_id=user.pk,
            previous_approved_by_id=undone_by if order.status != OrderStatus.APPROVED else None,
            previous_approved_at=undone_at if order.status != OrderStatus.APPROVED else None,
            # with no second person required, the amender's word approves it
            approved_by_id=None if second_person else user.pk,
            approved_at=None if second_person else now,
        )
        # who entered the original stays on the result; the amendment names the amender
        _apply(result, checked, by=None, at=result.entered_at, keep_entry=True)
        result.amended_at = timezone.now()
        result.save(update_fields=["amended_at"])
        clinical_event_record(
            action="lab_result.amended",
            entity="lab_result",
            entity_id=result.pk,
            entity_label=f"{order.number} {result.test.code}",
            patient=order.patient,
            changes={
                "value": [amendment_before, checked.value],
                "flag": [flag_before, checked.flag],
                "reason": reason[:300],
                "awaits_approval": second_person,
            },
        )
    logger.info("amended result %s of lab order %s", result.test.code, order.number)
    return result


def _amendable_in_place(order: LabOrder) -> bool:
    """Inside the transaction: an approved order (no second person required), or one
    whose amendments await approval (amended again before that approval), holding it
    so an approval cannot slip in between."""
    if order.status == OrderStatus.APPROVED:
        return bool(
            LabOrder.objects.filter(pk=order.pk, status=OrderStatus.APPROVED).update(
                updated_at=timezone.now()
            )
        )
    return _amendments_awaiting_approval(order).exists() and bool(
        LabOrder.objects.filter(pk=order.pk, status=OrderStatus.RESULTED).update(
            updated_at=timezone.now()
        )
    )


def _not_amendable() -> Conflict:
    return Conflict(_("Only the results of an approved order are amended; until then, edit them."))
