"""Forms only parse what was typed; the clinical rules live in services.py."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import (
    DURATION_DAYS_MAX,
    EVERY_HOURS_CHOICES,
    NOTE_FIELDS,
    QUANTITY_MAX,
    Consultation,
    Diagnosis,
    DoseUnit,
    Frequency,
    Route,
)
from apps.consultations.prescribing import DOSE_MAX, PrescriptionLine
from apps.consultations.services import InvalidDetails, VitalsValues, vitals_clean
from apps.core.numbers import DecimalField

VITALS_FIELDS = tuple(f.name for f in fields(VitalsValues))


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "decimal", **attrs})


class VitalsForm(forms.Form):
    systolic = forms.IntegerField(
        label=_("Systolic (mmHg)"), required=False, min_value=0, widget=_number()
    )
    diastolic = forms.IntegerField(
        label=_("Diastolic (mmHg)"), required=False, min_value=0, widget=_number()
    )
    pulse = forms.IntegerField(
        label=_("Pulse (/min)"), required=False, min_value=0, widget=_number()
    )
    temperature = DecimalField(
        label=_("Temperature (°C)"),
        required=False,
        max_digits=4,
        decimal_places=1,
    )
    spo2 = forms.IntegerField(label=_("SpO₂ (%)"), required=False, min_value=0, widget=_number())
    respiratory_rate = forms.IntegerField(
        label=_("Respiratory rate (/min)"), required=False, min_value=0, widget=_number()
    )
    weight = DecimalField(
        label=_("Weight (kg)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0,
    )
    height = DecimalField(
        label=_("Height (cm)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
    )

    def clean(self) -> dict[str, Any]:
        """Apply the plausibility rules here too, so every wrong field is reported in
        one round."""
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                vitals_clean(self._values(cleaned))
            except InvalidDetails as exc:
                for field, message in exc.errors.items():
                    self.add_error(field, message)
        return cleaned

    @staticmethod
    def _values(cleaned: dict[str, Any]) -> VitalsValues:
        return VitalsValues(**{name: cleaned.get(name) for name in VITALS_FIELDS})

    def values(self) -> VitalsValues:
        return self._values(self.cleaned_data)


def _note(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NotesForm(forms.Form):
    complaint = _note(_("Presenting complaint"))
    history = _note(_("History"))
    examination = _note(_("Examination"))
    assessment = _note(_("Assessment and plan"))

    @classmethod
    def for_consultation(cls, consultation: Consultation, data: Any = None) -> NotesForm:
        return cls(data=data, initial={name: getattr(consultation, name) for name in NOTE_FIELDS})


class DiagnosisForm(forms.Form):
    code = forms.CharField(label=_("ICD-10 code"), max_length=10)
    primary = forms.BooleanField(label=_("Primary diagnosis"), required=False)


class PrescriptionItemForm(forms.Form):
    """A line from the formulary: ``medicine`` is the picker's search box (or, outside
    the formulary, the medicine's name) and ``medicine_id`` what was picked."""

    medicine = forms.CharField(
        label=_("Medicine"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("Type part of the name")}
        ),
    )
    medicine_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    outside_formulary = forms.BooleanField(label=_("Outside the formulary"), required=False)
    outside_formulary_reason = forms.CharField(
        label=_("Reason for prescribing outside the formulary"), max_length=300, required=False
    )
    dose = DecimalField(
        label=_("Dose"),
        min_value=Decimal("0.001"),
        max_value=DOSE_MAX,
        max_digits=10,
        decimal_places=3,
    )
    dose_unit = forms.ChoiceField(label=_("Unit"), choices=DoseUnit.choices)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.ORAL)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=[("", "—"), *Frequency.choices])
    every_hours = forms.TypedChoiceField(
        label=_("Every (hours)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in EVERY_HOURS_CHOICES)],
    )
    duration_days = forms.IntegerField(
        label=_("Duration (days)"), min_value=1, max_value=DURATION_DAYS_MAX, widget=_number()
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=QUANTITY_MAX, widget=_number()
    )
    instructions = forms.CharField(label=_("Instructions"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding the warnings"), max_length=300, required=False
    )

    def line(self) -> PrescriptionLine:
        data = self.cleaned_data
        outside = bool(data["outside_formulary"])
        return PrescriptionLine(
            medicine_id=None if outside else data["medicine_id"],
            outside_formulary_name=data["medicine"] if outside else "",
            outside_formulary_reason=data["outside_formulary_reason"] if outside else "",
            dose_amount=data["dose"],
            dose_unit=data["dose_unit"],
            route=data["route"],
            frequency=data["frequency"],
            every_hours=data["every_hours"],
            duration_days=data["duration_days"],
            quantity=data["quantity"],
            instructions=data["instructions"],
            override_reason=data["override_reason"],
        )


class FollowUpForm(forms.Form):
    day = forms.DateField(label=_("Follow-up date"), widget=forms.DateInput(attrs={"type": "date"}))


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(label=_("Note"))
    new_value = forms.CharField(
        label=_("Corrected text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [
            (name, Consultation._meta.get_field(name).verbose_name.capitalize())  # type: ignore[union-attr]
            for name in NOTE_FIELDS
        ]


class DiagnosisAmendmentForm(forms.Form):
    diagnosis = forms.TypedChoiceField(label=_("Diagnosis to correct"), coerce=int)
    new_code = forms.CharField(label=_("Correct ICD-10 code"), max_length=10)
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=300)

    def __init__(self, *args: Any, diagnoses: list[Diagnosis], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix = "dx"
        choice = self.fields["diagnosis"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [(d.pk, str(d)) for d in diagnoses]


class CoverForm(forms.Form):
    """Add a doctor to the hospital's covering doctors."""

    doctor = forms.TypedChoiceField(label=_("Doctor"), coerce=int, choices=())

    def __init__(self, *args: Any, doctors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.doctors = {doctor.pk: doctor for doctor in doctors}
        field = self.fields["doctor"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *((doctor.pk, doctor.full_name) for doctor in doctors)]
