"""Wards, rooms and beds; admissions and the beds they occupy; the doctor's medication
orders on the admission; the nurses' notes and medication administration record.

Two invariants live in the database, not only in the services: a bed has at most one
open occupancy, and a patient at most one active admission.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.consultations.models import (
    DURATION_DAYS_MAX,
    Consultation,
    DoseUnit,
    Frequency,
    PrescriptionItem,
    Route,
)
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
    #: a dose given further than this from its time asks the nurse for a reason
    dose_window_minutes = models.PositiveSmallIntegerField(
        _("dose window (minutes either side)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
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
    #: the doctor who decided to admit (the consultation's), and the working diagnosis
    #: they admit with (the consultation's diagnoses when it was asked from one)
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_diagnosis = models.TextField(_("working diagnosis"), blank=True)

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


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    HELD = "held", _("On hold")
    STOPPED = "stopped", _("Stopped")


class MedicationOrder(models.Model):
    """A medicine the doctor orders on the admission: a coded formulary medicine (or,
    marked, one outside it), dose, route, frequency, when it starts and for how long.
    The nurse's record is built from it (``apps.admissions.medication_record``): the
    first dose at ``starts_at``, then one every interval of its frequency. It is held
    (and resumed) or stopped with a reason, never edited; a change is a new order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="orders")
    #: the pharmacy's medicine (an id, as on a prescription line)
    formulary_medicine_id = models.UUIDField(null=True, blank=True, db_index=True)
    outside_formulary_reason = models.CharField(
        _("reason for prescribing outside the formulary"), max_length=300, blank=True
    )
    medicine = models.CharField(_("medicine"), max_length=200)
    dose_amount = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_unit = models.CharField(_("unit"), max_length=12, choices=DoseUnit.choices)
    #: dispensing units (tablets, vials …) one dose takes from the pharmacy's stock; 0
    #: for a medicine kept on the ward and not drawn per dose (an inhaler, a cream)
    units_per_dose = models.PositiveSmallIntegerField(_("units per dose"), default=1)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    frequency_code = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    every_hours = models.PositiveSmallIntegerField(_("every (hours)"), null=True, blank=True)
    starts_at = models.DateTimeField(_("first dose"))
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"))
    instructions = models.CharField(_("instructions"), max_length=300, blank=True)
    warnings_overridden = models.TextField(_("warnings overridden"), blank=True)
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)
    #: the consultation's line this order continues on the ward (carried over)
    carried_from = models.ForeignKey(
        PrescriptionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    ordered_at = models.DateTimeField(_("ordered at"))
    ordered_by_id = models.UUIDField(editable=False)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by_id = models.UUIDField(null=True, blank=True, editable=False)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)

    class Meta:
        ordering = ["ordered_at", "id"]
        verbose_name = _("medication order")
        verbose_name_plural = _("medication orders")
        indexes = [models.Index(fields=["admission", "ordered_at"], name="order_admission")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dose_amount__gt=0), name="medication_order_dose_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=DURATION_DAYS_MAX),
                name="medication_order_duration_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(units_per_dose__lte=100), name="medication_order_units_bounded"
            ),
            models.CheckConstraint(
                condition=models.Q(formulary_medicine_id__isnull=True)
                | models.Q(outside_formulary_reason=""),
                name="medication_order_coded_or_exception",
            ),
            models.CheckConstraint(
                condition=models.Q(warnings_overridden="") | ~models.Q(override_reason=""),
                name="medication_order_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="stopped") | ~models.Q(stop_reason=""),
                name="medication_order_stop_has_reason",
            ),
            # a consultation's line is continued on the ward once (two confirmations at
            # once on PostgreSQL both pass the service's check; the second insert fails)
            models.UniqueConstraint(
                fields=["carried_from"],
                condition=models.Q(carried_from__isnull=False),
                name="prescription_item_carried_over_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.dose_label}"

    @property
    def is_coded(self) -> bool:
        return self.formulary_medicine_id is not None

    @property
    def is_outside_formulary(self) -> bool:
        return bool(self.outside_formulary_reason)

    @property
    def as_needed(self) -> bool:
        return self.frequency_code == Frequency.AS_NEEDED

    @property
    def dose_label(self) -> str:
        return f"{self.dose_amount.normalize():f} {self.get_dose_unit_display()}"

    @property
    def frequency_label(self) -> str:
        if self.frequency_code == Frequency.EVERY_HOURS:
            return str(_("Every %(hours)d hours") % {"hours": self.every_hours or 0})
        return str(self.get_frequency_code_display())

    @property
    def duration_label(self) -> str:
        return str(
            ngettext("%(days)d day", "%(days)d days", self.duration_days)
            % {"days": self.duration_days}
        )


class OrderHold(models.Model):
    """A stretch an order was on hold: no dose is due inside it."""

    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="holds")
    started_at = models.DateTimeField(_("held from"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason for holding"), max_length=300)
    held_by_id = models.UUIDField(editable=False)
    resumed_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_hold_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} held {self.started_at:%Y-%m-%d %H:%M}"


class DoseAdministration(models.Model):
    """What happened to one dose. Schedules are computed (``apps.admissions.doses`` for
    the consultation prescriptions charted before orders existed, and
    ``apps.admissions.medication_record`` for orders); only outcomes are stored.

    A dose is of an order (``order``) or, recorded before admissions had orders, of a
    consultation's prescription item (``item``): exactly one of them. A dose of an order
    given from the formulary took ``quantity`` units from the pharmacy's stock and is
    charged ``quantity × unit_price`` (the medicine's price when it was given)."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="doses")
    item = models.ForeignKey(
        PrescriptionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        MedicationOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="doses"
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=DoseOutcome.choices)
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by_id = models.UUIDField(editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    quantity = models.PositiveSmallIntegerField(_("units taken from stock"), default=0)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("dose administration")
        verbose_name_plural = _("dose administrations")
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "item", "scheduled_at"], name="one_outcome_per_dose"
            ),
            models.UniqueConstraint(
                fields=["order", "scheduled_at"], name="one_outcome_per_order_dose"
            ),
            models.CheckConstraint(
                condition=models.Q(item__isnull=True, order__isnull=False)
                | models.Q(item__isnull=False, order__isnull=True),
                name="dose_of_an_order_or_an_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order or self.item} {self.scheduled_at:%Y-%m-%d %H:%M} {self.outcome}"
