"""Forms only parse what was typed; the booking rules live in services.py."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appointments.models import (
    AppointmentKind,
    AppointmentStatus,
    ConflictPolicy,
    UnavailabilityKind,
)
from apps.appointments.selectors import BoardFilters, at_time, day_within_reach, doctor_choices
from apps.core.viewkit import search_text
from apps.doctors.models import Doctor


class DayField(forms.DateField):
    """A day within a year of today: the pages neither look nor book further."""

    default_error_messages = {"out_of_reach": _("Choose a day within a year of today.")}

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not day_within_reach(value):
            raise forms.ValidationError(self.error_messages["out_of_reach"], code="out_of_reach")


class DoctorDayForm(forms.Form):
    """Which doctor and day the slot grid shows (a GET form)."""

    doctor = forms.ModelChoiceField(
        label=_("Doctor"), queryset=Doctor.objects.none(), empty_label=_("Choose a doctor")
    )
    date = DayField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctor_choices()  # type: ignore[attr-defined]


class BookingForm(forms.Form):
    """A slot booking: the grid's buttons send ``time``, the rest rides along hidden."""

    patient = forms.UUIDField(widget=forms.HiddenInput)
    doctor = forms.ModelChoiceField(queryset=Doctor.objects.none(), widget=forms.HiddenInput)
    date = DayField(widget=forms.HiddenInput)
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (AppointmentKind.SCHEDULED.value, AppointmentKind.SCHEDULED.label),
            (AppointmentKind.FOLLOW_UP.value, AppointmentKind.FOLLOW_UP.label),
        ],
        initial=AppointmentKind.SCHEDULED,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for the visit"), max_length=300, required=False)
    #: sent by "Book anyway" after a warning
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctor_choices()  # type: ignore[attr-defined]

    def starts_at(self) -> datetime:
        return at_time(self.cleaned_data["date"], self.cleaned_data["time"])


class WalkInForm(forms.Form):
    patient = forms.UUIDField(widget=forms.HiddenInput)
    doctor = forms.ModelChoiceField(queryset=Doctor.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the visit"), max_length=300, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctor_choices()  # type: ignore[attr-defined]


class RescheduleForm(forms.Form):
    date = DayField(widget=forms.HiddenInput)
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def starts_at(self) -> datetime:
        return at_time(self.cleaned_data["date"], self.cleaned_data["time"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        error_messages={"required": _("Say why the appointment is cancelled.")},
    )


class BoardFilterForm(forms.Form):
    doctor = forms.ModelChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.none(),
        required=False,
        empty_label=_("All doctors"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *AppointmentStatus.choices],
        required=False,
    )
    q = forms.CharField(label=_("Patient"), required=False)
    date = DayField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctor_choices(active_only=False)  # type: ignore[attr-defined]

    def filters(self) -> BoardFilters:
        """The valid filters; a wrong one is ignored rather than emptying the board."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        doctor = data.get("doctor")
        return BoardFilters(
            doctor_id=doctor.pk if doctor is not None else None,
            status=data.get("status") or "",
            query=search_text(data.get("q") or ""),
        )

    def day(self) -> dt.date:
        data = getattr(self, "cleaned_data", {})
        return data.get("date") or timezone.localdate()


class UnavailabilityForm(forms.Form):
    """A period a doctor (or every doctor, for a holiday) cannot be booked: whole days, or
    from a time to a time."""

    doctor = forms.ModelChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.none(),
        empty_label=_("Choose a doctor"),
        required=False,
    )
    every_doctor = forms.BooleanField(
        label=_("Every active doctor (a hospital holiday)"), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnavailabilityKind.choices)
    date_from = DayField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    time_from = forms.TimeField(
        label=_("From time"),
        required=False,
        help_text=_("Leave empty to block the whole day."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    date_to = DayField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    time_to = forms.TimeField(
        label=_("Until time"),
        required=False,
        help_text=_("Leave empty to block the whole day."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctor_choices(active_only=False)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("every_doctor") and cleaned.get("doctor"):
            self.add_error("doctor", _("Choose one doctor or every doctor, not both."))
        elif not (cleaned.get("every_doctor") or cleaned.get("doctor") or "doctor" in self.errors):
            self.add_error("doctor", _("Choose a doctor, or every doctor."))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day cannot be before the first."))
        return cleaned

    def period(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        starts_at = at_time(data["date_from"], data["time_from"] or time.min)
        if data["time_to"] is None:
            ends_at = at_time(data["date_to"] + timedelta(days=1), time.min)
        else:
            ends_at = at_time(data["date_to"], data["time_to"])
        return starts_at, ends_at


class SettingsForm(forms.Form):
    conflict_policy = forms.ChoiceField(
        label=_(
            "When a booking overlaps the doctor's or the patient's other appointments, "
            "or falls outside the doctor's hours"
        ),
        choices=ConflictPolicy.choices,
        widget=forms.RadioSelect,
    )
