"""Wards, rooms and beds; admissions and the beds they occupy; the nurses' notes and
medication administration record.

Two invariants live in the database, not only in the services: a bed has at most one
open occupancy, and a patient at most one active admission.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import Consultation, PrescriptionItem
from apps.doctors.models import Doctor
from apps.patients.models import Patient

RATE = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Ward(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    #: the charge for one bed day; a bed may override it
    daily_rate = models.DecimalField(_("daily rate"), **RATE)  # type: ignore[arg-type]
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("room"), max_length=50)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="room_once_per_ward")]

    def __str__(self) -> str:
        return f"{self.ward.name} · {self.name}"


class BedStatus(models.TextChoices):
    FREE = "free", _("Free")
    OCCUPIED = "occupied", _("Occupied")
    CLEANING = "cleaning", _("Being cleaned")


class Bed(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    #: overrides the ward's rate (a private bed in a shared ward); empty = the ward's
    daily_rate = models.DecimalField(
        _("daily rate"),
        null=True,
        blank=True,
        help_text=_("Leave empty to charge the ward's rate."),
        **RATE,  # type: ignore[arg-type]
    )
    #: kept in step with the occupancies by the services (the bed map reads it alone)
    status = models.CharField(
        _("status"), max_length=10, choices=BedStatus.choices, default=BedStatus.FREE
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["room__name", "label"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_once_per_room")]

    def __str__(self) -> str:
        return f"{self.room.ward.name} · {self.room.name} · {self.label}"

    @property
    def rate(self) -> Decimal:
        return self.daily_rate if self.daily_rate is not None else self.room.ward.daily_rate


class AdmissionSettings(models.Model):
    """The hospital's admission rules (one row)."""

    allow_discharge_with_unbilled = models.BooleanField(
        _("allow discharge with unbilled services"),
        default=False,
        help_text=_("When off, a patient is discharged only once every service is invoiced."),
    )

    class Meta:
        verbose_name = _("admission settings")

    def __str__(self) -> str:
        return "admission settings"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a bed")
    ADMITTED = "admitted", _("Admitted")
    CANCELLED = "cancelled", _("Cancelled")


class AdmissionRequest(models.Model):
    """A doctor's decision to admit, waiting for a bed: the "to admit" list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ward wanted")
    )
    reason = models.CharField(_("reason for admission"), max_length=300)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by_id = models.UUIDField(null=True, editable=False)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="pending"),
                name="one_pending_admission_request_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} ({self.status})"


class AdmissionStatus(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    DISCHARGED = "discharged", _("Discharged")
    CANCELLED = "cancelled", _("Cancelled")


class Admission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: ``<CODE>-ADM-<YEAR>-000001``
    number = models.CharField(_("admission number"), max_length=40, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="admissions", verbose_name=_("patient")
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admissions",
        verbose_name=_("from consultation"),
    )
    request = models.OneToOneField(
        AdmissionRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="admission"
    )
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admissions",
        verbose_name=_("doctor in charge"),
    )
    reason = models.CharField(_("reason for admission"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AdmissionStatus.choices,
        default=AdmissionStatus.ADMITTED,
    )
    admitted_at = models.DateTimeField(_("admitted at"))
    admitted_by_id = models.UUIDField(null=True, editable=False)
    expected_discharge_on = models.DateField(_("expected discharge"), null=True, blank=True)
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    discharged_by_id = models.UUIDField(null=True, blank=True, editable=False)
    # The discharge summary, written at discharge
    discharge_diagnoses = models.TextField(_("diagnoses"), blank=True)
    discharge_treatment = models.TextField(_("treatment given"), blank=True)
    discharge_medicines = models.TextField(_("medicines on discharge"), blank=True)
    discharge_follow_up = models.TextField(_("follow-up"), blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-admitted_at"]
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="admitted"),
                name="one_active_admission_per_patient",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status == AdmissionStatus.ADMITTED


class Occupancy(models.Model):
    """A stretch of an admission in one bed. A transfer ends one and starts the next;
    each is charged at the rate it started with."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="occupancies")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    #: the bed's rate when the patient moved in (a later price change does not reach back)
    daily_rate = models.DecimalField(_("daily rate"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("bed occupancy")
        verbose_name_plural = _("bed occupancies")
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_occupancy_per_bed",
            ),
            models.UniqueConstraint(
                fields=["admission"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_occupancy_per_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.admission.number} @ {self.bed}"


class NursingNote(models.Model):
    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"))
    written_at = models.DateTimeField()
    author_id = models.UUIDField(editable=False)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("nursing note")
        verbose_name_plural = _("nursing notes")

    def __str__(self) -> str:
        return f"{self.admission} {self.written_at:%Y-%m-%d %H:%M}"


class DoseOutcome(models.TextChoices):
    GIVEN = "given", _("Given")
    HELD = "held", _("Held")
    REFUSED = "refused", _("Refused")


class DoseAdministration(models.Model):
    """What happened to one scheduled dose. Schedules are computed from the
    prescription's frequency (apps.admissions.doses); only outcomes are stored."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="doses")
    item = models.ForeignKey(PrescriptionItem, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(_("scheduled for"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=DoseOutcome.choices)
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by_id = models.UUIDField(editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("dose administration")
        verbose_name_plural = _("dose administrations")
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "item", "scheduled_at"], name="one_outcome_per_dose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.scheduled_at:%Y-%m-%d %H:%M} {self.outcome}"
