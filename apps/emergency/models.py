"""The emergency department's records: a visit per arrival, its triages (append-only),
and the flag that a visit's patient is a placeholder awaiting identification."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.emergency.tews import AgeBand, Avpu, Colour, Mobility
from apps.patients.models import Patient


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    IN_TREATMENT = "in_treatment", _("In treatment")
    DISCHARGED = "discharged", _("Discharged")
    ADMITTED = "admitted", _("Admitted")
    TRANSFERRED = "transferred", _("Transferred")
    LEFT_WITHOUT_BEING_SEEN = "left", _("Left without being seen")
    DIED = "died", _("Died")
    EXPIRED = "expired", _("Expired")


#: the states a visit is on the board in
ON_THE_BOARD = (VisitStatus.WAITING, VisitStatus.CALLED, VisitStatus.IN_TREATMENT)

#: the board's rank of a visit nobody has triaged yet: after every colour (they are
#: seen at the triage desk, not by colour)
UNTRIAGED_RANK = 9


class EmergencyVisit(models.Model):
    """One arrival at the emergency department. ``colour``, ``colour_rank``,
    ``attend_by`` and ``triage_count`` copy the latest triage so the board sorts from
    one indexed table; ``triage_count`` is also the version two triage desks race on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="emergency_visits")
    arrived_at = models.DateTimeField(_("arrived at"))
    complaint = models.CharField(_("presenting complaint"), max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=VisitStatus.choices, default=VisitStatus.WAITING
    )
    #: the state before the last move, so that move (and only it) can be undone; blank
    #: once undone
    previous_status = models.CharField(max_length=16, choices=VisitStatus.choices, blank=True)
    colour = models.CharField(max_length=8, choices=Colour.choices, blank=True)
    colour_rank = models.PositiveSmallIntegerField(default=UNTRIAGED_RANK)
    attend_by = models.DateTimeField(null=True, blank=True)
    triage_count = models.PositiveIntegerField(default=0)
    registered_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["status", "colour_rank", "arrived_at"], name="er_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.arrived_at:%Y-%m-%d %H:%M}"


class Triage(models.Model):
    """One triage of a visit. Never changed: a re-triage is a new row with the next
    ``sequence``, so the history of how urgent the patient was stays readable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(EmergencyVisit, on_delete=models.PROTECT, related_name="triages")
    sequence = models.PositiveIntegerField()
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    mobility = models.CharField(_("mobility"), max_length=12, choices=Mobility.choices, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate"), null=True, blank=True
    )
    heart_rate = models.PositiveSmallIntegerField(_("heart rate"), null=True, blank=True)
    systolic_bp = models.PositiveSmallIntegerField(
        _("systolic blood pressure"), null=True, blank=True
    )
    temperature = models.DecimalField(
        _("temperature"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    avpu = models.CharField(_("AVPU"), max_length=12, choices=Avpu.choices, blank=True)
    trauma = models.BooleanField(_("trauma"), null=True, blank=True)
    discriminators = models.JSONField(default=list, blank=True)
    tews = models.PositiveSmallIntegerField(_("TEWS"))
    #: the colour of the score and the signs, before any override
    computed_colour = models.CharField(max_length=8, choices=Colour.choices)
    colour = models.CharField(_("colour"), max_length=8, choices=Colour.choices)
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    #: vitals the chart scores that were not measured, confirmed by the nurse
    missing_vitals = models.JSONField(default=list, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["visit", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "sequence"], name="er_triage_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} #{self.sequence}: {self.colour}"


class PlaceholderPatient(models.Model):
    """A patient registered here without an identity ("Unknown male 000123"). Kept after
    the merge, pointing at the real record, so the placeholder reads as retired."""

    patient = models.OneToOneField(
        Patient, on_delete=models.PROTECT, primary_key=True, related_name="emergency_placeholder"
    )
    estimated_age_years = models.PositiveSmallIntegerField(_("estimated age"))
    registered_at = models.DateTimeField()
    merged_into = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by_id = models.UUIDField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return str(self.patient_id)

    @property
    def is_retired(self) -> bool:
        return self.merged_into_id is not None
