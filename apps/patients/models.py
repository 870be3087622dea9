"""A hospital's patients, in its own database."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import LinkedToUser


def name_key(first_name: str, last_name: str) -> str:
    """How names are compared: whitespace collapsed, case folded (works for ə, İ ...)."""
    return " ".join(f"{first_name} {last_name}".split()).casefold()


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class BloodGroup(models.TextChoices):
    A_POSITIVE = "A+", "A+"
    A_NEGATIVE = "A-", "A−"
    B_POSITIVE = "B+", "B+"
    B_NEGATIVE = "B-", "B−"
    AB_POSITIVE = "AB+", "AB+"
    AB_NEGATIVE = "AB-", "AB−"
    O_POSITIVE = "O+", "O+"
    O_NEGATIVE = "O-", "O−"


class AllergyStatus(models.TextChoices):
    """Whether anyone asked: "no known allergies" is an answer, "not asked" is not."""

    UNKNOWN = "unknown", _("Not asked")
    NONE_KNOWN = "none_known", _("No known allergies")
    HAS_ALLERGIES = "has_allergies", _("Has allergies")


#: the document series of patient numbers (``apps.numbering``): ``<CODE>-PAT-000001``
PATIENT_NUMBER_KIND = "PAT"


class Patient(LinkedToUser):
    """A registered patient. ``user_id`` (from LinkedToUser) is their portal login.

    The primary key is a UUID so an id from one hospital never names a row in another;
    ``number`` is the human identifier (``<HOSPITAL CODE>-PAT-000001``), the next of
    the hospital's ``PATIENT_NUMBER_KIND`` series in ``apps.numbering``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("patient number"), max_length=40, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(max_length=32, db_index=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    #: the allergies as typed before they were recorded against allergens: kept and shown
    #: as an unstructured note, never checked against a prescription
    allergies = models.TextField(blank=True)
    #: a default in the database too, for rows bulk-loaded without it (COPY)
    allergy_status = models.CharField(
        _("allergy status"),
        max_length=16,
        choices=AllergyStatus.choices,
        default=AllergyStatus.UNKNOWN,
        db_default=AllergyStatus.UNKNOWN,
    )
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    #: case-folded "first last", for duplicate checks that ignore case in any script
    name_key = models.CharField(max_length=201, db_index=True, editable=False)
    #: name, number and phone folded by ``apps.core.text.search_fold``, for the one search
    #: box; a trigram full-text index (migration 0002) is kept in step with it by triggers
    #: on SQLite, a pg_trgm GIN index on the column serves it on PostgreSQL (0003)
    search_text = models.TextField(editable=False, default="")
    registered_by_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-number"]
        # One per sortable column of the list, so a page of any order is read from an
        # index instead of sorting every patient.
        indexes = [
            models.Index(fields=["created_at", "number"], name="patient_registered_idx"),
            models.Index(fields=["last_name", "first_name", "number"], name="patient_name_idx"),
            models.Index(fields=["birth_date", "number"], name="patient_birth_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def active_allergies(self) -> list[PatientAllergy]:
        """The allergies every clinical page shows (templates call it)."""
        return list(self.allergy_records.filter(is_active=True).select_related("allergen"))


class AllergenKind(models.TextChoices):
    DRUG_CLASS = "class", _("Drug class")
    INGREDIENT = "ingredient", _("Ingredient")
    OTHER = "other", _("Other substance")


class Allergen(models.Model):
    """An entry of the allergen list shipped with the product (``data/allergens.json``,
    seeded into every hospital): a drug class (penicillins), an ingredient (amoxicillin)
    or another substance (latex). A formulary medicine names its ingredients and classes
    by these codes."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AllergenKind.choices)
    name = models.CharField(_("name"), max_length=120)
    name_az = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("allergen")
        verbose_name_plural = _("allergens")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the list carries its translations)."""
        return self.name_az if get_language() == "az" and self.name_az else self.name


class AllergySeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class PatientAllergy(models.Model):
    """One allergy of a patient, against an allergen of the list. Never deleted: an
    allergy recorded in error is made inactive, so the record says who said what."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="allergy_records", verbose_name=_("patient")
    )
    allergen = models.ForeignKey(
        Allergen, on_delete=models.PROTECT, related_name="+", verbose_name=_("allergen")
    )
    reaction = models.CharField(_("reaction"), max_length=200)
    severity = models.CharField(_("severity"), max_length=10, choices=AllergySeverity.choices)
    is_active = models.BooleanField(_("active"), default=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by_id = models.UUIDField(null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-is_active", "recorded_at", "id"]
        verbose_name = _("allergy")
        verbose_name_plural = _("allergies")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "allergen"],
                condition=models.Q(is_active=True),
                name="one_active_allergy_per_allergen",
            )
        ]

    def __str__(self) -> str:
        return f"{self.allergen} ({self.get_severity_display()})"
