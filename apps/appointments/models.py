"""Appointments: a patient's visit to a doctor, booked into the doctor's hours or as a
walk-in joining the day's queue. The status moves forward only, through one service
function per transition (``apps.appointments.transitions``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.doctors.models import Doctor
from apps.patients.models import Patient


class AppointmentKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    WALK_IN = "walk_in", _("Walk-in")
    FOLLOW_UP = "follow_up", _("Follow-up")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHECKED_IN = "checked_in", _("Checked in")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


#: statuses in which an appointment holds its slot and the doctor's time
ACTIVE_STATUSES = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.IN_CONSULTATION,
    AppointmentStatus.COMPLETED,
)


class Appointment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("patient")
    )
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("doctor")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=AppointmentKind.choices, default=AppointmentKind.SCHEDULED
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.SCHEDULED,
    )
    #: the day of the visit (a walk-in's day too)
    date = models.DateField(_("date"))
    #: the booked slot; empty for a walk-in, who joins the queue without one
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    reason = models.CharField(_("reason for the visit"), max_length=300, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    #: position in the doctor's queue of that day, given at check-in
    queue_number = models.PositiveIntegerField(_("queue number"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    consultation_started_at = models.DateTimeField(
        _("consultation started at"), null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    #: the doctor's consulting fee when the appointment was booked: the price billed,
    #: whatever the doctor's fee becomes later
    consultation_fee = models.DecimalField(
        _("consultation fee"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    #: users live in the platform database: ids as plain fields, never foreign keys
    booked_by_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "starts_at", "queue_number", "created_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["date", "doctor"], name="appointment_day_doctor"),
            models.Index(fields=["patient", "date"], name="appointment_patient_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="walk_in") | models.Q(starts_at__isnull=False),
                name="appointment_has_a_slot_unless_walk_in",
            ),
            models.UniqueConstraint(
                fields=["doctor", "date", "queue_number"],
                condition=models.Q(queue_number__isnull=False),
                name="one_queue_number_per_doctor_day",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else f"{self.date} walk-in"
        return f"{self.patient.full_name} — {self.doctor.full_name}, {when}"


class ConflictPolicy(models.TextChoices):
    BLOCK = "block", _("Refuse the booking")
    WARN = "warn", _("Warn, and book after a confirmation")


class AppointmentSettings(models.Model):
    """The hospital's booking rules: one row (pk 1) in each hospital's database."""

    conflict_policy = models.CharField(
        _("when a booking overlaps or falls outside the doctor's hours"),
        max_length=8,
        choices=ConflictPolicy.choices,
        default=ConflictPolicy.BLOCK,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment settings")
        verbose_name_plural = _("appointment settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="one_appointment_settings_row")
        ]

    def __str__(self) -> str:
        return str(self.get_conflict_policy_display())


class UnavailabilityKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    HOLIDAY = "holiday", _("Holiday")
    BLOCKED = "blocked", _("Blocked time")


class DoctorUnavailability(models.Model):
    """A stretch of time the doctor cannot be booked: leave, a holiday, a blocked
    afternoon. ``ends_at`` is exclusive."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.CASCADE,
        related_name="unavailabilities",
        verbose_name=_("doctor"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=UnavailabilityKind.choices,
        default=UnavailabilityKind.LEAVE,
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "doctor_id"]
        verbose_name = _("doctor unavailability")
        verbose_name_plural = _("doctor unavailabilities")
        indexes = [
            models.Index(
                fields=["doctor", "starts_at", "ends_at"], name="unavailability_doctor_time"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="unavailability_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.doctor.full_name}: {self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"
