"""The appointment's status moves forward only, one function per transition:

    Scheduled → Checked in → In consultation → Completed
    Scheduled → Cancelled | No-show

Each is a conditional update (``WHERE status IN (allowed)``), so two people acting on the
same appointment at once cannot both move it; the loser gets ``Conflict``. The only way
back from Cancelled or No-show is a reschedule (``services.appointment_reschedule``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appointments.models import Appointment, AppointmentStatus
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core import billable
from apps.core.exceptions import Conflict, ValidationError
from apps.doctors.models import Doctor
from apps.tenancy.db import tenant_atomic

#: the billable source key of the consultation fee (see apps.appointments.billing)
CONSULTATION_SOURCE = "appointments.consultation"


#: the audit action of each state an appointment moves to
MOVE_ACTIONS = {
    AppointmentStatus.CHECKED_IN: "appointment.checked_in",
    AppointmentStatus.IN_CONSULTATION: "appointment.consultation_started",
    AppointmentStatus.COMPLETED: "appointment.completed",
    AppointmentStatus.CANCELLED: "appointment.cancelled",
    AppointmentStatus.NO_SHOW: "appointment.no_show",
}


def _move(
    appointment: Appointment,
    *,
    allowed_from: tuple[AppointmentStatus, ...],
    to: AppointmentStatus,
    **fields: Any,
) -> Appointment:
    previous = appointment.status if appointment.status in allowed_from else allowed_from[0]
    moved = Appointment.objects.filter(pk=appointment.pk, status__in=allowed_from).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not moved:
        appointment.refresh_from_db(fields=["status"])
        raise Conflict(
            _("This appointment is %(status)s and cannot become %(target)s.")
            % {"status": appointment.get_status_display(), "target": to.label},
            field="status",
        )
    appointment.refresh_from_db()
    clinical_event_record(
        action=MOVE_ACTIONS[to],
        entity="appointment",
        entity_id=appointment.pk,
        entity_label=f"{appointment.patient.number} {appointment.date}",
        patient=appointment.patient,
        changes={"status": [previous, to], **fields},
    )
    return appointment


@audited("appointment.checked_in")
def appointment_check_in(*, appointment: Appointment, at: datetime | None = None) -> Appointment:
    """The patient has arrived: Scheduled → Checked in, with the next queue number of the
    doctor's day (numbers are unique per doctor and day, enforced by the database)."""
    at = at or timezone.now()
    if appointment.date != timezone.localdate(at):
        raise ValidationError(
            _("Only an appointment of today can be checked in (this one is on %(date)s).")
            % {"date": appointment.date.isoformat()},
            field="date",
        )
    with tenant_atomic():
        # The next number is read, then written: on PostgreSQL the doctor's row, locked,
        # makes a second check-in of the same doctor wait for this one to commit (the
        # unique constraint would refuse it); SQLite's IMMEDIATE transaction already does.
        list(Doctor.objects.select_for_update().filter(pk=appointment.doctor_id).values_list("pk"))
        last = Appointment.objects.filter(
            doctor_id=appointment.doctor_id, date=appointment.date
        ).aggregate(last=Max("queue_number"))["last"]
        return _move(
            appointment,
            allowed_from=(AppointmentStatus.SCHEDULED,),
            to=AppointmentStatus.CHECKED_IN,
            checked_in_at=at,
            queue_number=(last or 0) + 1,
        )


@audited("appointment.consultation_started")
def appointment_start_consultation(*, appointment: Appointment) -> Appointment:
    """The doctor opens the consultation: Checked in → In consultation."""
    with tenant_atomic():
        return _move(
            appointment,
            allowed_from=(AppointmentStatus.CHECKED_IN,),
            to=AppointmentStatus.IN_CONSULTATION,
            consultation_started_at=timezone.now(),
        )


@audited("appointment.completed")
def appointment_complete(*, appointment: Appointment) -> Appointment:
    """The consultation is completed: In consultation → Completed."""
    with tenant_atomic():
        return _move(
            appointment,
            allowed_from=(AppointmentStatus.IN_CONSULTATION,),
            to=AppointmentStatus.COMPLETED,
            completed_at=timezone.now(),
        )


@audited("appointment.cancelled")
def appointment_cancel(*, appointment: Appointment, reason: str) -> Appointment:
    """Scheduled → Cancelled, with a reason. A consultation fee already on an unpaid draft
    invoice leaves it; on an issued invoice the cancel is refused (billing says why)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the appointment is cancelled."), field="reason")
    with tenant_atomic():
        moved = _move(
            appointment,
            allowed_from=(AppointmentStatus.SCHEDULED,),
            to=AppointmentStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason=reason[:300],
        )
        billable.withdraw(source=CONSULTATION_SOURCE, reference=str(appointment.pk))
        return moved


@audited("appointment.no_show")
def appointment_mark_no_show(*, appointment: Appointment) -> Appointment:
    """The patient never came: Scheduled → No-show (also the nightly job's doing)."""
    with tenant_atomic():
        moved = _move(
            appointment, allowed_from=(AppointmentStatus.SCHEDULED,), to=AppointmentStatus.NO_SHOW
        )
        billable.withdraw(source=CONSULTATION_SOURCE, reference=str(appointment.pk))
        return moved
