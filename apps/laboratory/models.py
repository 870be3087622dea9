"""The laboratory of a hospital: its test catalogue (tests, reference ranges, panels),
orders with their results, and the hospital's lab settings.

An order moves forward only (``apps.laboratory.services``):

    Ordered → Sample collected → Resulted → Approved
    Ordered | Sample collected → Cancelled

Every test of an order (a panel's components expanded) gets a ``LabResult`` row when the
order is placed; the range and unit that applied are copied onto the result when it is
entered, so a later change of the catalogue never rewrites a report. An approved
result is locked: a correction is an ``LabResultAmendment`` keeping the original.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.appointments.models import Appointment
from apps.core.names import display_name
from apps.doctors.models import Doctor
from apps.patients.models import Patient


class SampleType(models.TextChoices):
    WHOLE_BLOOD = "whole_blood", _("Whole blood (EDTA)")
    SERUM = "serum", _("Serum")
    PLASMA = "plasma", _("Plasma")
    URINE = "urine", _("Urine")
    STOOL = "stool", _("Stool")
    SWAB = "swab", _("Swab")
    OTHER = "other", _("Other")


class ResultKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric")
    TEXT = "text", _("Text")


class RangeSex(models.TextChoices):
    ANY = "any", _("Any")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class LabTest(models.Model):
    """One test of the catalogue (haemoglobin, creatinine ...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    #: shown instead of ``name`` to an Azerbaijani reader (``apps.core.names``)
    name_az = models.CharField(_("Name in Azerbaijani"), max_length=200, blank=True)
    sample_type = models.CharField(_("sample type"), max_length=20, choices=SampleType.choices)
    result_kind = models.CharField(
        _("result kind"), max_length=10, choices=ResultKind.choices, default=ResultKind.NUMERIC
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    #: values outside these limits are not results but typing or analyser errors
    plausible_low = models.DecimalField(
        _("lowest plausible value"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    plausible_high = models.DecimalField(
        _("highest plausible value"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, default=Decimal(0))
    is_active = models.BooleanField(_("active"), default=True)
    #: seeded from the canonical catalogue (a sync refreshes it; price and active stay
    #: the hospital's)
    is_canonical = models.BooleanField(default=False, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lab test")
        verbose_name_plural = _("lab tests")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="lab_test_price_not_negative"),
            models.CheckConstraint(
                condition=Q(plausible_low__isnull=True)
                | Q(plausible_high__isnull=True)
                | Q(plausible_low__lt=models.F("plausible_high")),
                name="lab_test_plausible_limits_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{display_name(self)} ({self.code})"

    @property
    def is_numeric(self) -> bool:
        return self.result_kind == ResultKind.NUMERIC


class ReferenceRange(models.Model):
    """The normal range of a test for one sex and age band. Ages are whole days since
    birth: ``age_min_days`` inclusive, ``age_max_days`` exclusive, empty = unbounded.
    A bound may be missing (ALT has only an upper limit)."""

    test = models.ForeignKey(LabTest, on_delete=models.CASCADE, related_name="ranges")
    sex = models.CharField(_("sex"), max_length=10, choices=RangeSex.choices, default=RangeSex.ANY)
    age_min_days = models.PositiveIntegerField(_("from age (days)"), null=True, blank=True)
    age_max_days = models.PositiveIntegerField(_("below age (days)"), null=True, blank=True)
    low = models.DecimalField(_("low"), max_digits=12, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(_("high"), max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["test", "sex", "age_min_days"]
        verbose_name = _("reference range")
        verbose_name_plural = _("reference ranges")
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=False) | Q(high__isnull=False),
                name="reference_range_has_a_bound",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lt=models.F("high")),
                name="reference_range_low_below_high",
            ),
            models.CheckConstraint(
                condition=Q(age_min_days__isnull=True)
                | Q(age_max_days__isnull=True)
                | Q(age_min_days__lt=models.F("age_max_days")),
                name="reference_range_age_band_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test.code} {self.sex} {self.age_min_days}-{self.age_max_days}"


class LabPanel(models.Model):
    """Tests ordered, collected and billed as one (a complete blood count)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_az = models.CharField(_("Name in Azerbaijani"), max_length=200, blank=True)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, default=Decimal(0))
    is_active = models.BooleanField(_("active"), default=True)
    is_canonical = models.BooleanField(default=False, editable=False)
    tests: models.ManyToManyField[LabTest, PanelTest] = models.ManyToManyField(
        LabTest, through="PanelTest", related_name="panels"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lab panel")
        verbose_name_plural = _("lab panels")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="lab_panel_price_not_negative")
        ]

    def __str__(self) -> str:
        return f"{display_name(self)} ({self.code})"


class PanelTest(models.Model):
    panel = models.ForeignKey(LabPanel, on_delete=models.CASCADE, related_name="components")
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "test"], name="one_test_once_per_panel")
        ]

    def __str__(self) -> str:
        return f"{self.panel.code}: {self.test.code}"


class LabSettings(models.Model):
    """The hospital's lab rules: one row (``pk=1``)."""

    approval_required = models.BooleanField(
        _("results need approval by a second person"),
        default=True,
        help_text=_("When set, the person who entered the results cannot approve them."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lab settings")
        verbose_name_plural = _("lab settings")

    def __str__(self) -> str:
        return "lab settings"


class Priority(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    COLLECTED = "collected", _("Sample collected")
    RESULTED = "resulted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


#: orders the lab still has work on
PENDING_STATUSES = (OrderStatus.ORDERED, OrderStatus.COLLECTED, OrderStatus.RESULTED)


class LabOrder(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("order number"), max_length=40, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="lab_orders", verbose_name=_("patient")
    )
    #: the visit it was ordered in (the consultation is one-to-one with it); empty for a
    #: walk-in at the lab desk
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lab_orders",
        verbose_name=_("appointment"),
    )
    ordering_doctor = models.ForeignKey(
        Doctor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lab_orders",
        verbose_name=_("ordering doctor"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.ROUTINE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    clinical_notes = models.TextField(_("clinical notes"), blank=True)
    #: users live in the platform database: ids as plain fields, never foreign keys
    ordered_by_id = models.UUIDField(null=True, blank=True, editable=False)
    #: who entered a doctor's verbal or written order on the doctor's behalf; empty when
    #: the ordering doctor placed it, or for a walk-in that names no doctor
    transcribed_by_id = models.UUIDField(null=True, blank=True, editable=False)
    collected_at = models.DateTimeField(null=True, blank=True)
    collected_by_id = models.UUIDField(null=True, blank=True)
    resulted_at = models.DateTimeField(null=True, blank=True)
    resulted_by_id = models.UUIDField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_id = models.UUIDField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_id = models.UUIDField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lab order")
        verbose_name_plural = _("lab orders")
        indexes = [
            models.Index(fields=["status", "priority", "created_at"], name="lab_order_worklist"),
            models.Index(fields=["patient", "created_at"], name="lab_order_patient"),
            models.Index(fields=["ordering_doctor", "created_at"], name="lab_order_doctor"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT


class LabOrderLine(models.Model):
    """What was ordered and is billed: one panel or one single test, priced when ordered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(LabOrder, on_delete=models.CASCADE, related_name="lines")
    panel = models.ForeignKey(LabPanel, on_delete=models.PROTECT, null=True, blank=True)
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, null=True, blank=True)
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(panel__isnull=True, test__isnull=False)
                | Q(panel__isnull=False, test__isnull=True),
                name="lab_line_is_a_panel_or_a_test",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="lab_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return display_name(self, "description")

    @property
    def description_az(self) -> str:
        """The Azerbaijani name of the panel or test ordered (``description`` is its name
        as it was ordered, in English)."""
        item = self.panel if self.panel_id else self.test
        return item.name_az if item is not None else ""


class Flag(models.TextChoices):
    NONE = "", _("No range")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")
    HIGH = "high", _("High")


class LabResult(models.Model):
    """The result of one test of an order."""

    order = models.ForeignKey(LabOrder, on_delete=models.CASCADE, related_name="results")
    line = models.ForeignKey(LabOrderLine, on_delete=models.CASCADE, related_name="results")
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, related_name="results")
    position = models.PositiveIntegerField(default=0)
    #: as entered (numbers normalised: "13,5" → "13.5"); empty until entered
    value = models.CharField(_("result"), max_length=200, blank=True)
    numeric_value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    flag = models.CharField(max_length=8, choices=Flag.choices, blank=True)
    #: what applied when the value was entered
    unit = models.CharField(max_length=30, blank=True)
    reference_low = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    reference_high = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)
    entered_by_id = models.UUIDField(null=True, blank=True)
    amended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "test"], name="one_result_per_test_of_an_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.test.code}: {self.value}"

    @property
    def has_range(self) -> bool:
        return self.reference_low is not None or self.reference_high is not None

    @property
    def is_abnormal(self) -> bool:
        return self.flag in (Flag.LOW, Flag.HIGH)


class LabResultAmendment(models.Model):
    """A correction of an approved result: the value before and after, who, when, why.

    Where the hospital requires a second person, the amended value awaits approval by
    someone other than the amender (the order goes back to "awaiting approval"): the
    approval it undid is kept here (``previous_approved_*``) and the one that confirms
    it is recorded here too (``approved_*``; empty while it awaits one)."""

    result = models.ForeignKey(LabResult, on_delete=models.CASCADE, related_name="amendments")
    previous_value = models.CharField(max_length=200)
    previous_flag = models.CharField(max_length=8, choices=Flag.choices, blank=True)
    new_value = models.CharField(max_length=200)
    new_flag = models.CharField(max_length=8, choices=Flag.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    amended_by_id = models.UUIDField(null=True, blank=True)
    amended_at = models.DateTimeField(auto_now_add=True)
    #: the order's approval this amendment undid
    previous_approved_by_id = models.UUIDField(null=True, blank=True)
    previous_approved_at = models.DateTimeField(null=True, blank=True)
    #: who approved the amended value (the amender, where no second person is required)
    approved_by_id = models.UUIDField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["result", "amended_at"]

    def __str__(self) -> str:
        return f"{self.previous_value} → {self.new_value}"
