"""Forms only parse what was typed; the rules live in services.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.admissions.models import Bed, DoseOutcome, Ward
from apps.consultations.forms import PrescriptionItemForm
from apps.consultations.prescribing import PrescriptionLine
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
    dose_window_minutes = forms.IntegerField(
        label=_("Dose window (minutes either side)"),
        required=False,
        min_value=5,
        max_value=720,
        help_text=_("A dose given further from its time than this asks the nurse for a reason."),
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
    working_diagnosis = forms.CharField(
        label=_("Working diagnosis"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.filter(is_active=True), label=_("Ward wanted"), required=False
    )

    def __init__(self, *args: Any, from_consultation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if from_consultation:
            # the consultation names the patient: nothing to type
            del self.fields["patient"]


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
    """A dose of an order (``order``) or of a prescription item charted before orders
    (``item``); an as-needed order's dose has no ``scheduled_at``."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    order = forms.UUIDField(widget=forms.HiddenInput, required=False)
    scheduled_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DoseOutcome.choices)
    at = forms.TimeField(
        label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_scheduled_at(self) -> datetime | None:
        scheduled: datetime | None = self.cleaned_data["scheduled_at"]
        if scheduled is not None and not EARLIEST_DOSE <= scheduled <= LATEST_DOSE:
            raise forms.ValidationError(_("No dose of this medicine is due at that time."))
        return scheduled

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("order") is None and data.get("item") is None and not self.errors:
            raise forms.ValidationError(_("This medicine is not on the patient's chart."))
        if data.get("item") is not None and data.get("scheduled_at") is None and not self.errors:
            self.add_error("scheduled_at", _("No dose of this medicine is due at that time."))
        return data


class MedicationOrderForm(PrescriptionItemForm):
    """A medicine ordered on the admission: the prescription line's fields (and its
    picker) without a quantity to dispense, with when the first dose is due."""

    first_dose = forms.ChoiceField(
        label=_("First dose"),
        choices=[("now", _("Now")), ("at", _("At a time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    starts_at = forms.DateTimeField(
        label=_("First dose at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    units_per_dose = forms.IntegerField(
        label=_("Units per dose from stock"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to count them from the dose."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["quantity"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_dose") == "at" and data.get("starts_at") is None:
            self.add_error("starts_at", _("Give the time of the first dose."))
        return data

    def line(self) -> PrescriptionLine:
        self.cleaned_data["quantity"] = None
        return super().line()

    @property
    def first_dose_at(self) -> datetime | None:
        """None for "now"."""
        data = self.cleaned_data
        return data["starts_at"] if data["first_dose"] == "at" else None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CarryOverForm(forms.Form):
    first_dose = forms.ChoiceField(
        label=_("First dose"),
        choices=[("now", _("Now")), ("at", _("At a time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    starts_at = MedicationOrderForm.base_fields["starts_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_dose") == "at" and data.get("starts_at") is None:
            self.add_error("starts_at", _("Give the time of the first dose."))
        return data

    @property
    def first_dose_at(self) -> datetime | None:
        data = self.cleaned_data
        return data["starts_at"] if data["first_dose"] == "at" else None
