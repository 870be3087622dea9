"""The doctor's consultation of one appointment, and what is recorded in it: vitals,
notes, ICD-10 diagnoses, a prescription. A completed consultation is locked; a later
change is an ``Amendment`` that keeps the old value beside the new one."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from apps.appointments.models import Appointment
from apps.consultations.icd10 import icd10_title_az
from apps.core.names import display_name
from apps.core.numbers import decimal_display
from apps.doctors.models import Doctor
from apps.patients.models import Patient


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


#: the free-text notes of a consultation, in the order the doctor writes them
NOTE_FIELDS = ("complaint", "history", "examination", "assessment")


class Consultation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        related_name="consultation",
        verbose_name=_("appointment"),
    )
    # Copied from the appointment so a patient's history and a doctor's list need no join
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("patient")
    )
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("doctor")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
    )
    complaint = models.TextField(_("presenting complaint"), blank=True)
    history = models.TextField(_("history"), blank=True)
    examination = models.TextField(_("examination"), blank=True)
    assessment = models.TextField(_("assessment and plan"), blank=True)
    follow_up = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booked_by_consultation",
        verbose_name=_("follow-up appointment"),
    )
    started_at = models.DateTimeField(_("started at"))
    #: users live in the platform database: ids as plain fields, never foreign keys
    started_by_id = models.UUIDField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by_id = models.UUIDField(null=True, blank=True, editable=False)
    #: who last saved the notes (before they were recorded: unknown, shown as "—")
    notes_by_id = models.UUIDField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(fields=["patient", "started_at"], name="consultation_patient"),
            models.Index(fields=["doctor", "started_at"], name="consultation_doctor"),
        ]

    def __str__(self) -> str:
        return f"{self.patient.full_name} — {self.doctor.full_name}, {self.started_at:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status == ConsultationStatus.COMPLETED


class Vitals(models.Model):
    """One set of measurements of a patient. Linked to the visit it was taken at when
    there is one; the nursing chart reads them as a series by ``recorded_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="vitals", verbose_name=_("patient")
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vitals",
        verbose_name=_("appointment"),
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vitals",
        verbose_name=_("consultation"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by_id = models.UUIDField(null=True, blank=True, editable=False)
    systolic = models.PositiveSmallIntegerField(_("systolic pressure (mmHg)"), null=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic pressure (mmHg)"), null=True)
    pulse = models.PositiveSmallIntegerField(_("pulse (beats/min)"), null=True)
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1, null=True
    )
    spo2 = models.PositiveSmallIntegerField(_("SpO₂ (%)"), null=True)
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (breaths/min)"), null=True
    )
    weight = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True)
    height = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1, null=True)
    #: computed on the server from weight and height, never typed
    bmi = models.DecimalField(_("BMI"), max_digits=4, decimal_places=1, null=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("vitals")
        verbose_name_plural = _("vitals")
        indexes = [models.Index(fields=["patient", "recorded_at"], name="vitals_patient_series")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(systolic__isnull=True)
                | models.Q(diastolic__isnull=True)
                | models.Q(systolic__gt=models.F("diastolic")),
                name="vitals_systolic_above_diastolic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient.full_name} {self.recorded_at:%Y-%m-%d %H:%M}"


class Diagnosis(models.Model):
    """An ICD-10 coded diagnosis. The title is stored as it read when it was chosen, so
    the record does not change if the code list does."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="diagnoses",
        verbose_name=_("consultation"),
    )
    code = models.CharField(_("ICD-10 code"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    is_primary = models.BooleanField(_("primary"), default=False)
    #: who recorded it (diagnoses recorded before authors were: unknown, shown as "—")
    author_id = models.UUIDField(null=True, blank=True, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "added_at", "id"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code"], name="diagnosis_once_per_consultation"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(is_primary=True),
                name="one_primary_diagnosis_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {display_name(self, 'title')}"

    @property
    def title_az(self) -> str:
        """The code's Azerbaijani title (shown to an Azerbaijani reader by
        ``display_name``); the stored title stays the one chosen."""
        return icd10_title_az(self.code)


class Route(models.TextChoices):
    ORAL = "oral", _("Oral")
    SUBLINGUAL = "sublingual", _("Sublingual")
    TOPICAL = "topical", _("Topical")
    INHALED = "inhaled", _("Inhaled")
    NASAL = "nasal", _("Nasal")
    EYE = "eye", _("Eye drops")
    EAR = "ear", _("Ear drops")
    RECTAL = "rectal", _("Rectal")
    VAGINAL = "vaginal", _("Vaginal")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous injection")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular injection")
    INTRAVENOUS = "intravenous", _("Intravenous")


class Prescription(models.Model):
    """The consultation's prescription: one per consultation, made with its first item."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: ``<CODE>-RX-<YEAR>-000001``, printed on the sheet and quoted at the pharmacy
    number = models.CharField(_("prescription number"), max_length=40, unique=True, editable=False)
    consultation = models.OneToOneField(
        Consultation,
        on_delete=models.CASCADE,
        related_name="prescription",
        verbose_name=_("consultation"),
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="prescriptions", verbose_name=_("patient")
    )
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, related_name="prescriptions", verbose_name=_("doctor")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")

    def __str__(self) -> str:
        return self.number


class DoseUnit(models.TextChoices):
    MG = "mg", _("mg")
    G = "g", _("g")
    MCG = "mcg", _("mcg")
    ML = "ml", _("ml")
    IU = "iu", _("IU")
    TABLET = "tablet", _("tablet(s)")
    CAPSULE = "capsule", _("capsule(s)")
    DROP = "drop", _("drop(s)")
    PUFF = "puff", _("puff(s)")
    SACHET = "sachet", _("sachet(s)")
    APPLICATION = "application", _("application(s)")


#: a counted unit after its amount: "1 tablet", "2 tablets" (the choices' "tablet(s)" is
#: the name of the unit in a list to pick from, not what follows a number)
COUNTED_DOSES = {
    DoseUnit.TABLET: ngettext_lazy("%(amount)s tablet", "%(amount)s tablets", "count"),
    DoseUnit.CAPSULE: ngettext_lazy("%(amount)s capsule", "%(amount)s capsules", "count"),
    DoseUnit.DROP: ngettext_lazy("%(amount)s drop", "%(amount)s drops", "count"),
    DoseUnit.PUFF: ngettext_lazy("%(amount)s puff", "%(amount)s puffs", "count"),
    DoseUnit.SACHET: ngettext_lazy("%(amount)s sachet", "%(amount)s sachets", "count"),
    DoseUnit.APPLICATION: ngettext_lazy(
        "%(amount)s application", "%(amount)s applications", "count"
    ),
}


class Frequency(models.TextChoices):
    ONCE_DAILY = "once_daily", _("Once daily")
    TWICE_DAILY = "twice_daily", _("Twice daily")
    THREE_TIMES_DAILY = "three_times_daily", _("3 times a day")
    FOUR_TIMES_DAILY = "four_times_daily", _("4 times a day")
    EVERY_HOURS = "every_hours", _("Every N hours")
    AT_NIGHT = "at_night", _("At night")
    AS_NEEDED = "as_needed", _("As needed")


#: the wording a coded frequency is stored in beside its code: the ward's dose schedule
#: (``apps.admissions.doses``) reads it, as it reads lines written before the codes
FREQUENCY_TEXT = {
    Frequency.ONCE_DAILY: "once daily",
    Frequency.TWICE_DAILY: "2 times a day",
    Frequency.THREE_TIMES_DAILY: "3 times a day",
    Frequency.FOUR_TIMES_DAILY: "4 times a day",
    Frequency.EVERY_HOURS: "every {hours} hours",
    Frequency.AT_NIGHT: "at night",
    Frequency.AS_NEEDED: "as needed",
}

#: the bounds of what a doctor may type on a line
DURATION_DAYS_MAX = 365
QUANTITY_MAX = 10_000
EVERY_HOURS_CHOICES = (1, 2, 3, 4, 6, 8, 12, 24)


class PrescriptionItem(models.Model):
    """One medicine of a prescription: a coded formulary medicine (``formulary_medicine_id``,
    the pharmacy catalogue's id) with a structured dose, frequency and duration, or a
    medicine outside the formulary, allowed only with a reason and marked wherever it is
    shown. Lines written before the formulary keep their typed text and link nothing.

    ``medicine``, ``dose``, ``frequency`` and ``duration`` keep the line as text (the
    medicine's name as it read when it was chosen, like a diagnosis' title), so what is
    printed and charted never changes with the catalogue."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="items", verbose_name=_("prescription")
    )
    #: the pharmacy's medicine: its id, never a foreign key, since the pharmacy reads
    #: prescriptions (see ``apps.consultations.formulary``)
    formulary_medicine_id = models.UUIDField(null=True, blank=True, db_index=True)
    outside_formulary_reason = models.CharField(
        _("reason for prescribing outside the formulary"), max_length=300, blank=True
    )
    medicine = models.CharField(_("medicine"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100)
    dose_amount = models.DecimalField(
        _("dose"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    dose_unit = models.CharField(_("unit"), max_length=12, choices=DoseUnit.choices, blank=True)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices, default=Route.ORAL)
    frequency = models.CharField(_("frequency"), max_length=100)
    frequency_code = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    every_hours = models.PositiveSmallIntegerField(_("every (hours)"), null=True, blank=True)
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    instructions = models.CharField(_("instructions"), max_length=300, blank=True)
    #: the allergy and duplicate warnings the doctor saw, and why they prescribed anyway
    warnings_overridden = models.TextField(_("warnings overridden"), blank=True)
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)
    prescribed_by_id = models.UUIDField(null=True, blank=True, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("prescription item")
        verbose_name_plural = _("prescription items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0),
                name="prescription_item_quantity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True)
                | models.Q(duration_days__gte=1, duration_days__lte=DURATION_DAYS_MAX),
                name="prescription_item_duration_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(dose_amount__isnull=True) | models.Q(dose_amount__gt=0),
                name="prescription_item_dose_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(formulary_medicine_id__isnull=True)
                | models.Q(outside_formulary_reason=""),
                name="prescription_item_coded_or_exception",
            ),
            models.CheckConstraint(
                condition=models.Q(warnings_overridden="") | ~models.Q(override_reason=""),
                name="prescription_item_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.dose}"

    @property
    def is_coded(self) -> bool:
        return self.formulary_medicine_id is not None

    @property
    def is_outside_formulary(self) -> bool:
        return bool(self.outside_formulary_reason)

    @property
    def dose_label(self) -> str:
        if self.dose_amount is None:
            return self.dose
        # the amount as the reader writes it ("0,5" in Azerbaijani)
        amount = decimal_display(self.dose_amount, trim=True)
        counted = COUNTED_DOSES.get(self.dose_unit)  # type: ignore[call-overload]
        if counted is None:
            return f"{amount} {self.get_dose_unit_display()}"
        whole = self.dose_amount == self.dose_amount.to_integral_value()
        # a fraction of a tablet reads as the plural in English ("0.5 tablets")
        return str(counted % {"amount": amount, "count": int(self.dose_amount) if whole else 2})

    @property
    def frequency_label(self) -> str:
        """The frequency in the reader's language (a coded one), or as it was typed."""
        if self.frequency_code == Frequency.EVERY_HOURS:
            return str(_("Every %(hours)d hours") % {"hours": self.every_hours or 0})
        if self.frequency_code:
            return str(self.get_frequency_code_display())
        return self.frequency

    @property
    def duration_label(self) -> str:
        if self.duration_days is None:
            return self.duration
        return str(
            ngettext("%(days)d day", "%(days)d days", self.duration_days)
            % {"days": self.duration_days}
        )


class Amendment(models.Model):
    """A change to a completed consultation: the old value is kept, with who changed it,
    when and why."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("consultation"),
    )
    field = models.CharField(_("what was changed"), max_length=40)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    author_id = models.UUIDField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.field} amended {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def field_label(self) -> str:
        """The amended note as people call it ("Presenting complaint")."""
        if self.field == "diagnosis":
            return str(_("Diagnosis"))
        note = Consultation._meta.get_field(self.field)
        return str(getattr(note, "verbose_name", self.field)).capitalize()


class CoveringDoctor(models.Model):
    """A doctor the hospital lets write in every doctor's consultations (on call, a
    locum, the head of a department): the hospital's own list, kept by its
    administrators. Everything such a doctor writes carries their own name."""

    doctor = models.OneToOneField(
        Doctor, on_delete=models.CASCADE, related_name="cover", verbose_name=_("doctor")
    )
    granted_by_id = models.UUIDField(null=True, blank=True, editable=False)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "id"]
        verbose_name = _("covering doctor")
        verbose_name_plural = _("covering doctors")

    def __str__(self) -> str:
        return self.doctor.full_name
