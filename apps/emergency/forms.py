"""The emergency department's forms: an arrival (known or unknown patient), a triage,
identifying an unknown patient."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.emergency.services import TriageDetails
from apps.emergency.tews import AgeBand, Avpu, Colour, Discriminator, Mobility, Vitals
from apps.patients.models import Patient, Sex
from apps.patients.services import MAX_AGE_YEARS


class PatientNumberField(forms.CharField):
    """A patient by the number on their card (``CGH001-PAT-000001``)."""

    def clean(self, value: Any) -> Patient:
        number = super().clean(value).strip().upper()
        patient = Patient.objects.filter(number=number).first()
        if patient is None:
            raise forms.ValidationError(_("There is no patient with this number."))
        return patient


class ArrivalForm(forms.Form):
    patient = PatientNumberField(label=_("Patient number"), max_length=40)
    complaint = forms.CharField(label=_("Presenting complaint"), max_length=200, required=False)


class UnknownArrivalForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    estimated_age_years = forms.IntegerField(
        label=_("Estimated age (years)"), min_value=0, max_value=MAX_AGE_YEARS
    )
    complaint = forms.CharField(label=_("Presenting complaint"), max_length=200, required=False)


TRAUMA_CHOICES = [("", "—"), ("no", _("No")), ("yes", _("Yes"))]


class TriageForm(forms.Form):
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    mobility = forms.ChoiceField(
        label=_("Mobility"), choices=[("", "—"), *Mobility.choices], required=False
    )
    respiratory_rate = forms.IntegerField(
        label=_("Respiratory rate (per minute)"), min_value=0, max_value=120, required=False
    )
    heart_rate = forms.IntegerField(
        label=_("Heart rate (per minute)"), min_value=0, max_value=300, required=False
    )
    systolic_bp = forms.IntegerField(
        label=_("Systolic blood pressure (mmHg)"), min_value=0, max_value=300, required=False
    )
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        min_value=25,
        max_value=45,
        max_digits=4,
        decimal_places=1,
        required=False,
    )
    avpu = forms.ChoiceField(label=_("AVPU"), choices=[("", "—"), *Avpu.choices], required=False)
    trauma = forms.ChoiceField(label=_("Trauma"), choices=TRAUMA_CHOICES, required=False)
    discriminators = forms.MultipleChoiceField(
        label=_("Signs"),
        choices=Discriminator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    override_colour = forms.ChoiceField(
        label=_("Override the colour"), choices=[("", "—"), *Colour.choices], required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for the override"), max_length=300, required=False
    )
    confirm_incomplete = forms.BooleanField(
        label=_("Save with the missing vitals counted as normal"), required=False
    )
    seen_triages = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def details(self) -> TriageDetails:
        data = self.cleaned_data
        trauma = {"yes": True, "no": False}.get(data["trauma"])
        return TriageDetails(
            age_band=AgeBand(data["age_band"]),
            vitals=Vitals(
                mobility=data["mobility"] or None,
                respiratory_rate=data["respiratory_rate"],
                heart_rate=data["heart_rate"],
                systolic_bp=data["systolic_bp"],
                temperature=data["temperature"],
                avpu=data["avpu"] or None,
                trauma=trauma,
            ),
            discriminators=tuple(data["discriminators"]),
            override_colour=data["override_colour"],
            override_reason=data["override_reason"],
            confirm_incomplete=data["confirm_incomplete"],
            seen_triages=data["seen_triages"],
        )


class MergeForm(forms.Form):
    into = PatientNumberField(
        label=_("Real patient's number"),
        max_length=40,
        help_text=_("Register the patient first if they have no record."),
    )
