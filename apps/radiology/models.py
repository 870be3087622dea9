"""The radiology department of a hospital: its catalogue (modalities and their
examinations), orders with their reports, and corrections of verified reports.

An order is one examination of one patient and moves forward only
(``apps.radiology.services``):

    Ordered → Scheduled → Performed → Reported → Verified
    Ordered | Scheduled → Cancelled (with a reason)
    Verified → Reported again when the report is amended (a second reader verifies it)

The report's text starts from the examination's template; a verified report is locked
and changed only by an amendment (``ReportAmendment``) that keeps the text before it
and the verification it undid.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.appointments.models import Appointment
from apps.doctors.models import Doctor
from apps.patients.models import Patient


class _Bilingual(models.Model):
    """Reference rows carry their Azerbaijani name (the catalogue's, not gettext's)."""

    name = models.CharField(_("name"), max_length=200)
    name_az = models.CharField(_("name in Azerbaijani"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return self.name_az if get_language() == "az" and self.name_az else self.name


class Modality(_Bilingual):
    """A kind of imaging (X-ray, ultrasound, CT ...): each has a worklist of its own."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    position = models.PositiveIntegerField(default=0)
    is_canonical = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("modality")
        verbose_name_plural = _("modalities")

    def __str__(self) -> str:
        return self.display_name


class Examination(_Bilingual):
    """One examination of the catalogue (chest X-ray PA ...) with its price, the
    patient's preparation and the report's starting text."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    modality = models.ForeignKey(
        Modality, on_delete=models.PROTECT, related_name="examinations", verbose_name=_("modality")
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, default=Decimal(0))
    is_active = models.BooleanField(_("offered"), default=True)
    preparation = models.TextField(_("preparation"), blank=True)
    preparation_az = models.TextField(blank=True)
    default_findings = models.TextField(blank=True)
    default_impression = models.TextField(blank=True)
    #: seeded from the canonical catalogue (a sync refreshes it; price and offered stay
    #: the hospital's)
    is_canonical = models.BooleanField(default=False, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["modality__position", "position", "name"]
        verbose_name = _("examination")
        verbose_name_plural = _("examinations")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="radiology_examination_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_preparation(self) -> str:
        if get_language() == "az" and self.preparation_az:
            return self.preparation_az
        return self.preparation


class Priority(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class StudyStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    SCHEDULED = "scheduled", _("Scheduled")
    PERFORMED = "performed", _("Performed")
    REPORTED = "reported", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    CANCELLED = "cancelled", _("Cancelled")


#: studies the department still has work on
PENDING_STATUSES = (
    StudyStatus.ORDERED,
    StudyStatus.SCHEDULED,
    StudyStatus.PERFORMED,
    StudyStatus.REPORTED,
)


class Study(models.Model):
    """One ordered examination of one patient, from the order to the verified report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("order number"), max_length=40, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="radiology_studies",
        verbose_name=_("patient"),
    )
    #: the visit it was ordered in; empty for an order entered at the department
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="radiology_studies",
    )
    ordering_doctor = models.ForeignKey(
        Doctor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="radiology_studies",
        verbose_name=_("ordering doctor"),
    )
    examination = models.ForeignKey(
        Examination, on_delete=models.PROTECT, related_name="studies", verbose_name=_("examination")
    )
    #: copied when ordered, so the worklist filters without a join and a later move of
    #: the examination to another modality never moves a study
    modality = models.ForeignKey(Modality, on_delete=models.PROTECT, related_name="studies")
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.ROUTINE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StudyStatus.choices, default=StudyStatus.ORDERED
    )
    clinical_notes = models.TextField(_("clinical question"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    impression = models.TextField(_("impression"), blank=True)
    #: users live in the platform database: ids as plain fields, never foreign keys
    ordered_by_id = models.UUIDField(null=True, blank=True, editable=False)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    scheduled_by_id = models.UUIDField(null=True, blank=True)
    performed_at = models.DateTimeField(null=True, blank=True)
    performed_by_id = models.UUIDField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by_id = models.UUIDField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by_id = models.UUIDField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_id = models.UUIDField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("imaging study")
        verbose_name_plural = _("imaging studies")
        indexes = [
            models.Index(
                fields=["modality", "status", "priority", "created_at"], name="radiology_worklist"
            ),
            models.Index(fields=["status", "priority", "created_at"], name="radiology_pending"),
            models.Index(fields=["patient", "created_at"], name="radiology_patient"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="radiology_study_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT


class ReportAmendment(models.Model):
    """A correction of a verified report: the text before and after, who, when, why,
    and the verification it undid (the study awaits a second reader again)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="amendments")
    previous_findings = models.TextField()
    previous_impression = models.TextField()
    new_findings = models.TextField()
    new_impression = models.TextField()
    reason = models.CharField(_("reason"), max_length=300)
    amended_by_id = models.UUIDField(null=True, blank=True)
    amended_at = models.DateTimeField(auto_now_add=True)
    previous_verified_by_id = models.UUIDField(null=True, blank=True)
    previous_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "amended_at"]

    def __str__(self) -> str:
        return f"{self.study_id} {self.amended_at:%Y-%m-%d %H:%M}"


class AttachmentKind(models.TextChoices):
    JPEG = "jpeg", _("JPEG image")
    PNG = "png", _("PNG image")
    PDF = "pdf", _("PDF document")
    DICOM = "dicom", _("DICOM file")


class StudyAttachment(models.Model):
    """An image or scanned document attached to a study, kept as a file in the
    hospital's own directory (``apps.radiology.attachments``) under ``stored_name``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    #: the name it was uploaded with, shown only (never a path)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField()
    uploaded_by_id = models.UUIDField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_viewable(self) -> bool:
        """Shown in the browser (images, PDF); a DICOM file is downloaded."""
        return self.kind != AttachmentKind.DICOM
