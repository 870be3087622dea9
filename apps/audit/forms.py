"""The audit page's search: parses what was typed; a bad date is shown next to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EventSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    action = forms.CharField(label=_("Action"), max_length=64, required=False)
    patient = forms.CharField(label=_("Patient number"), max_length=64, required=False)
    user = forms.CharField(label=_("Username"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
