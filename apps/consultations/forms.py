"""Forms only parse what was typed; the clinical rules live in services.py."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import NOTE_FIELDS, Consultation, Diagnosis, Route
from apps.consultations.services import (
    MOST_UNITS,
    InvalidDetails,
    PrescriptionItemDetails,
    VitalsValues,
    vitals_clean,
)

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
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=_number(step="0.1"),
    )
    spo2 = forms.IntegerField(label=_("SpO₂ (%)"), required=False, min_value=0, widget=_number())
    respiratory_rate = forms.IntegerField(
        label=_("Respiratory rate (/min)"), required=False, min_value=0, widget=_number()
    )
    weight = forms.DecimalField(
        label=_("Weight (kg)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0,
        widget=_number(step="0.1"),
    )
    height = forms.DecimalField(
        label=_("Height (cm)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        widget=_number(step="0.1"),
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
    medicine = forms.CharField(label=_("Medicine"), max_length=200)
    dose = forms.CharField(label=_("Dose"), max_length=100)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.ORAL)
    frequency = forms.CharField(label=_("Frequency"), max_length=100)
    duration = forms.CharField(label=_("Duration"), max_length=100, required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=MOST_UNITS
    )
    instructions = forms.CharField(label=_("Instructions"), max_length=300, required=False)

    def details(self) -> PrescriptionItemDetails:
        data = self.cleaned_data
        return PrescriptionItemDetails(
            medicine=data["medicine"],
            dose=data["dose"],
            route=data["route"],
            frequency=data["frequency"],
            duration=data["duration"],
            quantity=data["quantity"],
            instructions=data["instructions"],
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
        choice.choices = [(d.pk, f"{d.code} {d.title}") for d in diagnoses]
