"""Forms only parse what was typed; radiology's rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import DecimalField
from apps.radiology.models import Examination, Priority

#: what a browser's datetime-local input sends (in the hospital's time)
LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class OrderForm(forms.Form):
    patient = forms.UUIDField(
        label=_("Patient"), error_messages={"required": _("Choose the patient.")}
    )
    examination = forms.ModelChoiceField(
        label=_("Examination"),
        queryset=Examination.objects.none(),
        error_messages={
            "required": _("Choose the examination."),
            "invalid_choice": _("Choose the examination."),
        },
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.ROUTINE,
        widget=forms.RadioSelect,
    )
    clinical_notes = forms.CharField(
        label=_("Clinical question"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, examinations: list[Examination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["examination"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Examination.objects.filter(pk__in=[e.pk for e in examinations])
        field.choices = [("", "—")] + [
            (e.pk, f"{e.modality.display_name}: {e.display_name}") for e in examinations
        ]


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Scheduled for"),
        input_formats=[LOCAL_DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        error_messages={
            "required": _("Choose a date and time."),
            "invalid": _("Choose a date and time."),
        },
    )


class ReportForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    impression = forms.CharField(
        label=_("Impression"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    impression = forms.CharField(
        label=_("Impression"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=300,
        error_messages={"required": _("Say why the report is amended.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        error_messages={"required": _("Say why the study is cancelled.")},
    )


class ExaminationForm(forms.Form):
    price = DecimalField(label=_("Price"), max_digits=10, min_value=None)
    is_active = forms.BooleanField(label=_("Offered"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Image or scanned document"),
        allow_empty_file=True,  # the service says so, in its words
        error_messages={"required": _("Choose a file.")},
    )
    #: a fresh value each time the form is drawn: a double click sends one upload, and
    #: a second file chosen on the redrawn page is a submission of its own
    upload = forms.CharField(widget=forms.HiddenInput, required=False)
