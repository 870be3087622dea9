"""Reading appointments: a doctor's slot grid for a day, the day's flow board, what a
booking would clash with, a doctor's unavailability and the hospital's booking rules."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentSettings,
    AppointmentStatus,
    ConflictPolicy,
    DoctorUnavailability,
)
from apps.core.collation import az_order
from apps.core.exceptions import NotFound
from apps.core.text import search_fold
from apps.doctors.models import Doctor, DoctorSchedule
from apps.patients.models import Patient

#: the length of a booking made outside the doctor's hours (no schedule to take it from)
DEFAULT_SLOT_MINUTES = 20

#: how far from today the pages look and book, each way (beyond it dates are refused
#: before any arithmetic on them can overflow)
MAX_DAYS_AHEAD = 366

#: statuses of an appointment still waiting for something to happen today
OPEN_STATUSES = (AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN)


def day_within_reach(day: date) -> bool:
    today = timezone.localdate()
    reach = timedelta(days=MAX_DAYS_AHEAD)
    return today - reach <= day <= today + reach


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day as an aware [start, end) interval in the current time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def at_time(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


# -- settings ---------------------------------------------------------------------------


def appointment_settings_get() -> AppointmentSettings:
    """The hospital's booking rules; the defaults until an administrator saves them."""
    return AppointmentSettings.objects.filter(pk=1).first() or AppointmentSettings(pk=1)


def conflict_policy() -> str:
    return appointment_settings_get().conflict_policy or ConflictPolicy.BLOCK


# -- getting one ------------------------------------------------------------------------


def appointment_get(*, appointment_id: uuid.UUID | str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("patient", "doctor__specialization")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotFound(_("There is no such appointment in this hospital."))
    return appointment


def unavailability_get(*, unavailability_id: uuid.UUID | str) -> DoctorUnavailability:
    unavailability = (
        DoctorUnavailability.objects.select_related("doctor").filter(pk=unavailability_id).first()
    )
    if unavailability is None:
        raise NotFound(_("There is no such period of unavailability in this hospital."))
    return unavailability


def doctor_choices(*, active_only: bool = True) -> QuerySet[Doctor]:
    doctors = Doctor.objects.select_related("specialization").order_by(az_order("full_name"), "id")
    return doctors.filter(is_active=True) if active_only else doctors


def doctor_hours(*, doctor: Doctor, day: date) -> DoctorSchedule | None:
    return DoctorSchedule.objects.filter(doctor=doctor, weekday=day.weekday()).first()


# -- the slot grid ----------------------------------------------------------------------


class SlotState(enum.StrEnum):
    FREE = "free"
    PAST = "past"
    TAKEN = "taken"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    state: SlotState

    @property
    def choosable(self) -> bool:
        return self.state is SlotState.FREE

    @property
    def label(self) -> str:
        """The local start time, ``09:20``."""
        return _local(self.starts_at)


@dataclass(frozen=True)
class SlotGrid:
    doctor: Doctor
    day: date
    hours: DoctorSchedule | None
    slots: list[Slot]
    unavailabilities: list[DoctorUnavailability]

    @property
    def free_count(self) -> int:
        return sum(1 for slot in self.slots if slot.choosable)


def _overlaps(
    start: datetime, end: datetime, intervals: Iterable[tuple[datetime, datetime]]
) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end in intervals)


def slot_grid(*, doctor: Doctor, day: date, now: datetime | None = None) -> SlotGrid:
    """The doctor's slots on ``day``, cut from the weekly hours of that weekday by the
    slot length. Every slot is listed; only free ones may be chosen: a slot is taken when
    an appointment that holds the doctor's time overlaps it, blocked when a period of
    unavailability does, past when it has started. Three queries whatever the day holds."""
    now = now or timezone.now()
    hours = doctor_hours(doctor=doctor, day=day)
    day_start, day_end = day_bounds(day)
    unavailabilities = list(
        DoctorUnavailability.objects.filter(
            doctor=doctor, starts_at__lt=day_end, ends_at__gt=day_start
        )
    )
    if hours is None:
        return SlotGrid(
            doctor=doctor, day=day, hours=None, slots=[], unavailabilities=unavailabilities
        )
    booked = [
        (starts, ends)
        for starts, ends in Appointment.objects.filter(
            doctor=doctor, date=day, status__in=ACTIVE_STATUSES, starts_at__isnull=False
        ).values_list("starts_at", "ends_at")
        if starts is not None and ends is not None
    ]
    blocked = [(u.starts_at, u.ends_at) for u in unavailabilities]
    length = timedelta(minutes=hours.slot_minutes)
    start, close = at_time(day, hours.starts_at), at_time(day, hours.ends_at)
    slots: list[Slot] = []
    while start + length <= close:
        end = start + length
        if _overlaps(start, end, booked):
            state = SlotState.TAKEN
        elif _overlaps(start, end, blocked):
            state = SlotState.BLOCKED
        elif start < now:
            state = SlotState.PAST
        else:
            state = SlotState.FREE
        slots.append(Slot(starts_at=start, ends_at=end, state=state))
        start = end
    return SlotGrid(
        doctor=doctor, day=day, hours=hours, slots=slots, unavailabilities=unavailabilities
    )


# -- what a booking clashes with ---------------------------------------------------------


class ConflictKind(enum.StrEnum):
    DOCTOR_BUSY = "doctor_busy"
    PATIENT_BUSY = "patient_busy"
    OUTSIDE_HOURS = "outside_hours"


@dataclass(frozen=True)
class BookingConflict:
    kind: ConflictKind
    message: str


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def booking_conflicts(
    *,
    doctor: Doctor,
    patient: Patient,
    starts_at: datetime,
    ends_at: datetime,
    exclude_id: uuid.UUID | None = None,
) -> list[BookingConflict]:
    """What a booking of ``patient`` with ``doctor`` in [starts_at, ends_at) would clash
    with: the doctor's other appointments, the patient's appointments with any doctor,
    and the doctor's weekly hours. Unavailability is not here: it always refuses."""
    conflicts: list[BookingConflict] = []
    overlapping = Appointment.objects.filter(
        status__in=ACTIVE_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("patient", "doctor")
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    for other in overlapping.filter(Q(doctor=doctor) | Q(patient=patient)):
        assert other.starts_at is not None  # filtered on the slot
        if other.doctor_id == doctor.pk:
            message = _("%(doctor)s already sees %(patient)s from %(start)s to %(end)s.") % {
                "doctor": doctor.full_name,
                "patient": other.patient.full_name,
                "start": _local(other.starts_at),
                "end": _local(other.ends_at or other.starts_at),
            }
            conflicts.append(BookingConflict(ConflictKind.DOCTOR_BUSY, message))
        if other.patient_id == patient.pk:
            message = _(
                "%(patient)s already has an appointment with %(doctor)s from %(start)s to %(end)s."
            ) % {
                "patient": patient.full_name,
                "doctor": other.doctor.full_name,
                "start": _local(other.starts_at),
                "end": _local(other.ends_at or other.starts_at),
            }
            conflicts.append(BookingConflict(ConflictKind.PATIENT_BUSY, message))
    outside = hours_conflict(doctor=doctor, starts_at=starts_at, ends_at=ends_at)
    if outside is not None:
        conflicts.append(outside)
    return conflicts


def hours_conflict(
    *, doctor: Doctor, starts_at: datetime, ends_at: datetime
) -> BookingConflict | None:
    """The clash of [starts_at, ends_at) with the doctor's hours of that day, if any; a
    walk-in asks about one moment (``starts_at == ends_at``)."""
    day = timezone.localdate(starts_at)
    hours = doctor_hours(doctor=doctor, day=day)
    if hours is None:
        return BookingConflict(
            ConflictKind.OUTSIDE_HOURS,
            _("%(doctor)s does not work on %(weekday)s.")
            % {"doctor": doctor.full_name, "weekday": hours_weekday_name(day)},
        )
    opens, closes = at_time(day, hours.starts_at), at_time(day, hours.ends_at)
    if opens <= starts_at and ends_at <= closes:
        return None
    placeholders = {
        "start": _local(starts_at),
        "end": _local(ends_at),
        "doctor": doctor.full_name,
        "open": f"{hours.starts_at:%H:%M}",
        "close": f"{hours.ends_at:%H:%M}",
    }
    if starts_at == ends_at:
        message = _("It is %(start)s, outside %(doctor)s's hours (%(open)s–%(close)s).")
    else:
        message = _("%(start)s–%(end)s is outside %(doctor)s's hours (%(open)s–%(close)s).")
    return BookingConflict(ConflictKind.OUTSIDE_HOURS, message % placeholders)


def hours_weekday_name(day: date) -> str:
    return str(WEEKDAYS[day.weekday()])


def unavailability_overlapping(
    *, doctor: Doctor, starts_at: datetime, ends_at: datetime
) -> DoctorUnavailability | None:
    return DoctorUnavailability.objects.filter(
        doctor=doctor, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()


# -- the day's flow board ----------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    doctor_id: int | None = None
    status: str = ""
    query: str = ""


def flow_board(*, day: date, filters: BoardFilters | None = None) -> QuerySet[Appointment]:
    """Every appointment of ``day``: booked ones by time, walk-ins by their arrival."""
    filters = filters or BoardFilters()
    appointments = (
        Appointment.objects.filter(date=day)
        .select_related("patient", "doctor")
        .order_by(Coalesce("starts_at", "checked_in_at", "created_at"), "created_at")
    )
    if filters.doctor_id is not None:
        appointments = appointments.filter(doctor_id=filters.doctor_id)
    if filters.status:
        appointments = appointments.filter(status=filters.status)
    for term in search_fold(filters.query).split():
        appointments = appointments.filter(patient__search_text__contains=term)
    return appointments


@dataclass(frozen=True)
class BoardRow:
    """One line of the flow board, ready to print (the board shows hundreds)."""

    id: uuid.UUID
    time: str
    kind: str
    status: str
    status_label: str
    queue_number: int | None
    patient_name: str
    patient_number: str
    doctor_name: str
    waiting: int | None
    patient_id: uuid.UUID
    #: the booked time has begun (a scheduled patient may be marked a no-show)
    begun: bool

    @property
    def waiting_text(self) -> str:
        if self.waiting is None:
            return ""
        return ngettext("%(minutes)s min", "%(minutes)s min", self.waiting) % {
            "minutes": self.waiting
        }


def flow_board_rows(
    *, day: date, filters: BoardFilters | None = None, now: datetime | None = None
) -> list[BoardRow]:
    """The flow board as plain rows: one query, no model instances."""
    now = now or timezone.now()
    labels = {status.value: str(status.label) for status in AppointmentStatus}
    rows = []
    for values in flow_board(day=day, filters=filters).values_list(
        "pk",
        "kind",
        "status",
        "starts_at",
        "queue_number",
        "checked_in_at",
        "consultation_started_at",
        "patient__first_name",
        "patient__last_name",
        "patient__number",
        "doctor__full_name",
        "patient_id",
    ):
        (pk, kind, status, starts_at, queue, checked_in_at, started_at, first, last, number,
         doctor_name, patient_id) = values  # fmt: skip
        rows.append(
            BoardRow(
                id=pk,
                time=_local(starts_at) if starts_at else "",
                kind=kind,
                status=status,
                status_label=labels[status],
                queue_number=queue,
                patient_name=f"{first} {last}",
                patient_number=number,
                doctor_name=doctor_name,
                waiting=_waiting(status, checked_in_at, started_at, now),
                begun=starts_at is not None and starts_at <= now,
                patient_id=patient_id,
            )
        )
    return rows


def _waiting(
    status: str, checked_in_at: datetime | None, started_at: datetime | None, now: datetime
) -> int | None:
    if checked_in_at is None:
        return None
    if status == AppointmentStatus.CHECKED_IN:
        until = now
    elif status == AppointmentStatus.IN_CONSULTATION:
        until = started_at or now
    else:
        return None
    return max(0, int((until - checked_in_at).total_seconds() // 60))


def waiting_minutes(appointment: Appointment, *, now: datetime) -> int | None:
    """Minutes since check-in for a patient still waiting; until the consultation began
    for one being seen; None otherwise."""
    return _waiting(
        appointment.status, appointment.checked_in_at, appointment.consultation_started_at, now
    )


def day_counts(*, day: date) -> dict[str, int]:
    """Appointments of ``day`` by status (every status present, zero when none)."""
    counted = dict(
        Appointment.objects.filter(date=day)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counted.get(status, 0) for status in AppointmentStatus.values}


# -- unavailability ----------------------------------------------------------------------


def unavailability_list(
    *, doctor_id: int | None = None, since: datetime | None = None
) -> QuerySet[DoctorUnavailability]:
    """Periods ending after ``since`` (now by default), soonest first."""
    since = since or timezone.now()
    periods = DoctorUnavailability.objects.select_related("doctor").filter(ends_at__gt=since)
    if doctor_id is not None:
        periods = periods.filter(doctor_id=doctor_id)
    return periods.annotate(
        collisions=Count(
            "doctor__appointments",
            filter=Q(
                doctor__appointments__status__in=OPEN_STATUSES,
                doctor__appointments__starts_at__lt=F("ends_at"),
                doctor__appointments__ends_at__gt=F("starts_at"),
            ),
        )
    )


def unavailability_collisions(*, unavailability: DoctorUnavailability) -> QuerySet[Appointment]:
    """The doctor's appointments still to happen (scheduled or checked in) that fall in
    the period: someone has to call those patients."""
    return (
        Appointment.objects.filter(
            doctor_id=unavailability.doctor_id,
            status__in=OPEN_STATUSES,
            starts_at__lt=unavailability.ends_at,
            ends_at__gt=unavailability.starts_at,
        )
        .select_related("patient")
        .order_by("starts_at")
    )


# -- a patient's appointments ---------------------------------------------------------------


def patient_appointments(*, patient: Patient) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(patient=patient)
        .select_related("doctor")
        .order_by("-date", "-starts_at")
    )
