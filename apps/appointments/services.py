"""Booking appointments, rescheduling them, no-shows, a doctor's unavailability and the
hospital's booking rules. The forward moves of an appointment's status are in
``apps.appointments.transitions``.

Booking is check-then-insert, so it must be serialized. The checks and the insert run in
one ``tenant_atomic()``: on SQLite the hospital's database opens it with ``BEGIN
IMMEDIATE`` (settings.SQLITE_OPTIONS), which takes the write lock before the first read,
so a second booking waits for the first to commit and then sees its appointment. On
PostgreSQL the doctor's and the patient's rows are locked (always in that order, so two
bookings never deadlock) for the same effect.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appointments import transitions
from apps.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentSettings,
    AppointmentStatus,
    ConflictPolicy,
    DoctorUnavailability,
    UnavailabilityKind,
)
from apps.appointments.selectors import (
    DEFAULT_SLOT_MINUTES,
    MAX_DAYS_AHEAD,
    BookingConflict,
    ConflictKind,
    booking_conflicts,
    conflict_policy,
    doctor_hours,
    hours_conflict,
    unavailability_overlapping,
)
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.doctors.models import Doctor
from apps.patients.models import Patient
from apps.tenancy.db import tenant_atomic

logger = logging.getLogger(__name__)


class BookingClash(Conflict):
    """The booking clashes with other appointments or the doctor's hours; ``conflicts``
    says how."""

    def __init__(self, conflicts: list[BookingConflict]) -> None:
        super().__init__(" ".join(c.message for c in conflicts), field="starts_at")
        self.conflicts = conflicts


class BookingRefused(BookingClash):
    """A clash, and the hospital refuses clashes."""


class BookingNeedsConfirmation(BookingClash):
    """A clash, and the hospital warns: book again with ``confirm=True``."""


def _lock(doctor: Doctor, patient: Patient) -> None:
    """Lock the doctor's then the patient's row for the rest of the transaction
    (PostgreSQL; SQLite's IMMEDIATE transaction already holds the database's lock)."""
    list(Doctor.objects.select_for_update().filter(pk=doctor.pk).values_list("pk"))
    list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))


def _check_conflicts(conflicts: list[BookingConflict], *, confirm: bool) -> None:
    if not conflicts:
        return
    if conflict_policy() == ConflictPolicy.BLOCK:
        raise BookingRefused(conflicts)
    if not confirm:
        raise BookingNeedsConfirmation(conflicts)


def _slot_end(*, doctor: Doctor, starts_at: datetime) -> datetime:
    hours = doctor_hours(doctor=doctor, day=timezone.localdate(starts_at))
    minutes = hours.slot_minutes if hours is not None else DEFAULT_SLOT_MINUTES
    return starts_at + timedelta(minutes=minutes)


def _check_slot(*, doctor: Doctor, starts_at: datetime | None, now: datetime) -> datetime:
    """Refuse a slot that can never be booked (missing, past, too far ahead, the doctor
    inactive); return its end."""
    if not doctor.is_active:
        raise ValidationError(
            _("%(doctor)s is inactive and cannot be booked.") % {"doctor": doctor.full_name},
            field="doctor",
        )
    if starts_at is None:
        raise ValidationError(_("Choose a time for the appointment."), field="starts_at")
    if starts_at < now:
        raise ValidationError(
            _("This time has already passed; choose a later one."), field="starts_at"
        )
    if timezone.localdate(starts_at) > timezone.localdate(now) + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("Appointments can be booked at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD},
            field="starts_at",
        )
    return _slot_end(doctor=doctor, starts_at=starts_at)


def _refuse_unavailable(*, doctor: Doctor, starts_at: datetime, ends_at: datetime) -> None:
    period = unavailability_overlapping(doctor=doctor, starts_at=starts_at, ends_at=ends_at)
    if period is not None:
        raise ValidationError(
            _("%(doctor)s is unavailable (%(kind)s) from %(start)s until %(end)s.")
            % {
                "doctor": doctor.full_name,
                "kind": period.get_kind_display(),
                "start": f"{timezone.localtime(period.starts_at):%Y-%m-%d %H:%M}",
                "end": f"{timezone.localtime(period.ends_at):%Y-%m-%d %H:%M}",
            },
            field="starts_at",
        )


def _audit(action: str, appointment: Appointment, changes: dict[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="appointment",
        entity_id=appointment.pk,
        entity_label=f"{appointment.patient.number} {appointment.date}",
        patient=appointment.patient,
        changes=changes,
    )


@audited("appointment.booked", "appointment.walk_in")
def appointment_book(
    *,
    patient: Patient,
    doctor: Doctor,
    kind: str = AppointmentKind.SCHEDULED,
    starts_at: datetime | None = None,
    reason: str = "",
    follow_up_of: Appointment | None = None,
    confirm: bool = False,
    booked_by_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``patient`` with ``doctor``.

    A scheduled or follow-up appointment takes the slot starting at ``starts_at`` (its
    length is the doctor's slot length of that weekday). The slot must be in the future
    and outside the doctor's unavailability (always refused). Clashes with the doctor's or
    the patient's other appointments or with the doctor's hours are refused
    (``BookingRefused``) or, when the hospital warns, need ``confirm``
    (``BookingNeedsConfirmation``). A walk-in joins today's queue at once (checked in,
    with a queue number) without a slot. The doctor's fee is recorded as the price.
    """
    now = now or timezone.now()
    if kind == AppointmentKind.WALK_IN:
        return appointment_walk_in(
            patient=patient,
            doctor=doctor,
            reason=reason,
            confirm=confirm,
            booked_by_id=booked_by_id,
            now=now,
        )
    if kind not in AppointmentKind.values:
        raise ValidationError(_("Choose the kind of appointment."), field="kind")
    if follow_up_of is not None and follow_up_of.patient_id != patient.pk:
        raise ValidationError(
            _("A follow-up must follow one of the same patient's appointments."),
            field="follow_up_of",
        )
    ends_at = _check_slot(doctor=doctor, starts_at=starts_at, now=now)
    assert starts_at is not None
    with tenant_atomic():
        _lock(doctor, patient)
        _refuse_unavailable(doctor=doctor, starts_at=starts_at, ends_at=ends_at)
        _check_conflicts(
            booking_conflicts(doctor=doctor, patient=patient, starts_at=starts_at, ends_at=ends_at),
            confirm=confirm,
        )
        appointment = Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            kind=kind,
            date=timezone.localdate(starts_at),
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip()[:300],
            follow_up_of=follow_up_of,
            consultation_fee=doctor.consulting_fee,
            booked_by_id=booked_by_id,
        )
        _audit(
            "appointment.booked",
            appointment,
            {
                "doctor": doctor.full_name,
                "kind": kind,
                "starts_at": starts_at,
                "confirmed_clash": confirm,
            },
        )
    logger.info("booked appointment %s", appointment.pk)
    return appointment


@audited("appointment.walk_in")
def appointment_walk_in(
    *,
    patient: Patient,
    doctor: Doctor,
    reason: str = "",
    confirm: bool = False,
    booked_by_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Appointment:
    """A patient who came without an appointment joins the doctor's queue of today:
    booked and checked in in one step, with the next queue number. Refused while the
    doctor is unavailable; the patient already waiting for the same doctor today, or a
    time outside the doctor's hours, is a clash like any other (refused or warned by the
    hospital's rule)."""
    now = now or timezone.now()
    if not doctor.is_active:
        raise ValidationError(
            _("%(doctor)s is inactive and cannot be booked.") % {"doctor": doctor.full_name},
            field="doctor",
        )
    today = timezone.localdate(now)
    with tenant_atomic():
        _lock(doctor, patient)
        _refuse_unavailable(doctor=doctor, starts_at=now, ends_at=now + timedelta(minutes=1))
        conflicts = []
        waiting = Appointment.objects.filter(
            patient=patient,
            doctor=doctor,
            date=today,
            status__in=(AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_CONSULTATION),
        ).first()
        if waiting is not None:
            message = _(
                "%(patient)s is already in %(doctor)s's queue today (number %(number)s)."
            ) % {
                "patient": patient.full_name,
                "doctor": doctor.full_name,
                "number": waiting.queue_number,
            }
            conflicts.append(BookingConflict(kind=ConflictKind.PATIENT_BUSY, message=message))
        outside = hours_conflict(doctor=doctor, starts_at=now, ends_at=now)
        if outside is not None:
            conflicts.append(outside)
        _check_conflicts(conflicts, confirm=confirm)
        appointment = Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            kind=AppointmentKind.WALK_IN,
            date=today,
            reason=reason.strip()[:300],
            consultation_fee=doctor.consulting_fee,
            booked_by_id=booked_by_id,
        )
        _audit(
            "appointment.walk_in",
            appointment,
            {"doctor": doctor.full_name, "confirmed_clash": confirm},
        )
        transitions.appointment_check_in(appointment=appointment, at=now)
    logger.info("walk-in %s joined the queue as %s", appointment.pk, appointment.queue_number)
    return appointment


RESCHEDULABLE = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.CANCELLED,
    AppointmentStatus.NO_SHOW,
)


@audited("appointment.rescheduled")
def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: datetime | None,
    confirm: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move a booked appointment to another slot of the same doctor — also the only way
    back from Cancelled or No-show, which become Scheduled again. The same rules as a
    booking apply (the appointment does not clash with itself)."""
    now = now or timezone.now()
    if appointment.kind == AppointmentKind.WALK_IN:
        raise Conflict(
            _("A walk-in has no slot to move; book a new appointment."), field="starts_at"
        )
    doctor = appointment.doctor
    ends_at = _check_slot(doctor=doctor, starts_at=starts_at, now=now)
    assert starts_at is not None
    with tenant_atomic():
        _lock(doctor, appointment.patient)
        _refuse_unavailable(doctor=doctor, starts_at=starts_at, ends_at=ends_at)
        _check_conflicts(
            booking_conflicts(
                doctor=doctor,
                patient=appointment.patient,
                starts_at=starts_at,
                ends_at=ends_at,
                exclude_id=appointment.pk,
            ),
            confirm=confirm,
        )
        before = Appointment.objects.filter(pk=appointment.pk).values("status", "starts_at").get()
        moved = Appointment.objects.filter(pk=appointment.pk, status__in=RESCHEDULABLE).update(
            status=AppointmentStatus.SCHEDULED,
            date=timezone.localdate(starts_at),
            starts_at=starts_at,
            ends_at=ends_at,
            cancelled_at=None,
            cancel_reason="",
            updated_at=now,
        )
        if not moved:
            appointment.refresh_from_db(fields=["status"])
            raise Conflict(
                _("This appointment is %(status)s and can no longer be rescheduled.")
                % {"status": appointment.get_status_display()},
                field="starts_at",
            )
        _audit(
            "appointment.rescheduled",
            appointment,
            {
                "status": [before["status"], AppointmentStatus.SCHEDULED],
                "starts_at": [before["starts_at"], starts_at],
                "confirmed_clash": confirm,
            },
        )
    appointment.refresh_from_db()
    logger.info("rescheduled appointment %s", appointment.pk)
    return appointment


@audited("appointment.no_show")
def appointment_no_show(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Mark a patient who did not come: only once the booked time has begun."""
    now = now or timezone.now()
    if appointment.starts_at is not None and appointment.starts_at > now:
        raise ValidationError(
            _("The appointment has not started yet; it cannot be a no-show."), field="status"
        )
    return transitions.appointment_mark_no_show(appointment=appointment)


@audited("appointment.no_show")
def appointments_mark_no_shows(*, before: date) -> int:
    """Mark every appointment still Scheduled on a day before ``before`` a No-show (the
    nightly job, run with today's date so a missed night is caught up). An appointment
    whose withdrawal billing refuses stays as it is and is logged. Returns how many."""
    marked = 0
    for appointment in Appointment.objects.filter(
        status=AppointmentStatus.SCHEDULED, date__lt=before
    ).select_related("patient", "doctor"):
        try:
            transitions.appointment_mark_no_show(appointment=appointment)
        except Conflict as exc:
            logger.warning("appointment %s left as it is: %s", appointment.pk, exc.message)
        else:
            marked += 1
    return marked


# -- unavailability ------------------------------------------------------------------------


def _check_period(*, kind: str, starts_at: datetime, ends_at: datetime) -> None:
    if kind not in UnavailabilityKind.values:
        raise ValidationError(_("Choose what kind of absence this is."), field="kind")
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("A period can be at most %(days)s days long.") % {"days": MAX_DAYS_AHEAD},
            field="ends_at",
        )


def _audit_unavailability(action: str, period: DoctorUnavailability) -> None:
    clinical_event_record(
        action=action,
        entity="doctor_unavailability",
        entity_id=period.pk,
        entity_label=period.doctor.full_name,
        changes={
            "kind": period.kind,
            "starts_at": period.starts_at,
            "ends_at": period.ends_at,
            "reason": period.reason,
        },
    )


@audited("unavailability.created")
def unavailability_create(
    *,
    doctor: Doctor,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
    created_by_id: uuid.UUID | None = None,
) -> DoctorUnavailability:
    """Block the doctor's time in [starts_at, ends_at). Appointments already booked in it
    stay (``selectors.unavailability_collisions`` lists them for the front desk)."""
    _check_period(kind=kind, starts_at=starts_at, ends_at=ends_at)
    with tenant_atomic():
        period = DoctorUnavailability.objects.create(
            doctor=doctor,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip()[:300],
            created_by_id=created_by_id,
        )
        _audit_unavailability("unavailability.created", period)
    logger.info("doctor %s unavailable %s–%s", doctor.pk, starts_at, ends_at)
    return period


@audited("unavailability.created")
def unavailability_create_for_every_doctor(
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
    created_by_id: uuid.UUID | None = None,
) -> list[DoctorUnavailability]:
    """A hospital holiday: the same period for every active doctor, all or none."""
    _check_period(kind=kind, starts_at=starts_at, ends_at=ends_at)
    with tenant_atomic():
        periods = DoctorUnavailability.objects.bulk_create(
            DoctorUnavailability(
                doctor=doctor,
                kind=kind,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=reason.strip()[:300],
                created_by_id=created_by_id,
            )
            for doctor in Doctor.objects.filter(is_active=True)
        )
        for period in periods:
            _audit_unavailability("unavailability.created", period)
    if not periods:
        raise ValidationError(_("The hospital has no active doctor yet."), field="every_doctor")
    logger.info("%s doctors unavailable %s–%s", len(periods), starts_at, ends_at)
    return periods


@audited("unavailability.deleted")
def unavailability_delete(*, unavailability: DoctorUnavailability) -> None:
    with tenant_atomic():
        _audit_unavailability("unavailability.deleted", unavailability)
        unavailability.delete()


# -- settings ---------------------------------------------------------------------------


@audited("settings.changed")
def appointment_settings_update(*, conflict_policy: str) -> AppointmentSettings:
    if conflict_policy not in ConflictPolicy.values:
        raise ValidationError(
            _("Choose what happens to a clashing booking."), field="conflict_policy"
        )
    with tenant_atomic():
        before = (
            AppointmentSettings.objects.filter(pk=1)
            .values_list("conflict_policy", flat=True)
            .first()
        )
        saved, _created = AppointmentSettings.objects.update_or_create(
            pk=1, defaults={"conflict_policy": conflict_policy}
        )
        clinical_event_record(
            action="settings.changed",
            entity="appointment_settings",
            entity_id=saved.pk,
            changes={"conflict_policy": [before, conflict_policy]},
        )
    return saved
