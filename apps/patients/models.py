"""A hospital's patients, in its own database."""

from __future__ import annotations

import uuid

from django.db import models
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
    allergies = models.TextField(blank=True)
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
