"""Forms only parse what was typed; the rules live in services.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.admissions.models import Bed, DoseOutcome, Ward
from apps.core.numbers import DecimalField
from apps.doctors.models import Doctor
from apps.patients.models import Patient


class WardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    daily_rate = DecimalField(label=_("Daily rate"), max_digits=10, decimal_places=2, min_value=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=50)


class BedForm(forms.Form):
    label = forms.CharField(label=_("Bed"), max_length=20)
    daily_rate = DecimalField(
        label=_("Daily rate"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty to charge the ward's rate."),
    )


class AdmissionSettingsForm(forms.Form):
    allow_discharge_with_unbilled = forms.BooleanField(
        label=_("Allow discharge with unbilled services"), required=False
    )


class PatientField(forms.CharField):
    """A patient by the number on their card (``CGH001-PAT-000001``)."""

    def clean(self, value: Any) -> Patient | None:
        number = (super().clean(value) or "").strip().upper()
        if not number:
            return None
        patient = Patient.objects.filter(number=number).first()
        if patient is None:
            raise forms.ValidationError(_("There is no patient with this number."))
        return patient


class BedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bed) -> str:
        return str(
            _("%(ward)s · room %(room)s · bed %(bed)s · %(rate)s a day")
            % {
                "ward": obj.room.ward.name,
                "room": obj.room.name,
                "bed": obj.label,
                "rate": obj.rate,
            }
        )


def _bed_field(beds: Any) -> BedChoiceField:
    return BedChoiceField(queryset=beds, label=_("Bed"), empty_label=_("Choose a vacant bed"))


class AdmitForm(forms.Form):
    patient = PatientField(
        label=_("Patient number"), max_length=40, help_text=_("As on the patient's card.")
    )
    bed = forms.ModelChoiceField(queryset=Bed.objects.none())
    reason = forms.CharField(label=_("Reason for admission"), max_length=300, required=False)
    doctor = forms.ModelChoiceField(
        queryset=Doctor.objects.none(), label=_("Doctor in charge"), required=False
    )
    expected_discharge_on = forms.DateField(
        label=_("Expected discharge"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, beds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds)
        self.fields["doctor"].queryset = Doctor.objects.filter(is_active=True)  # type: ignore[attr-defined]


class AdmissionRequestForm(forms.Form):
    patient = PatientField(label=_("Patient number"), max_length=40)
    reason = forms.CharField(label=_("Reason for admission"), max_length=300)
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.filter(is_active=True), label=_("Ward wanted"), required=False
    )


class TransferForm(forms.Form):
    bed = forms.ModelChoiceField(queryset=Bed.objects.none())

    def __init__(self, *args: Any, beds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds)
        self.fields["bed"].label = _("Move to bed")


class PlanForm(forms.Form):
    expected_discharge_on = forms.DateField(
        label=_("Expected discharge"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DischargeForm(forms.Form):
    diagnoses = forms.CharField(label=_("Diagnoses"), widget=forms.Textarea(attrs={"rows": 3}))
    treatment = forms.CharField(
        label=_("Treatment given"), widget=forms.Textarea(attrs={"rows": 4})
    )
    medicines = forms.CharField(
        label=_("Medicines on discharge"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Nursing note"), widget=forms.Textarea(attrs={"rows": 3}))


#: the dose times the chart can offer lie well inside these; outside them there is no
#: day around the time to compute with (year 1, year 9999)
EARLIEST_DOSE = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_DOSE = datetime(2200, 1, 1, tzinfo=UTC)


class DoseForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    scheduled_at = forms.DateTimeField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DoseOutcome.choices)
    at = forms.TimeField(
        label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_scheduled_at(self) -> datetime:
        scheduled: datetime = self.cleaned_data["scheduled_at"]
        if not EARLIEST_DOSE <= scheduled <= LATEST_DOSE:
            raise forms.ValidationError(_("No dose of this medicine is due at that time."))
        return scheduled
