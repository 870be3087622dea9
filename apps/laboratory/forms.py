"""Forms only parse what was typed; the lab's rules live in services.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.collation import az_order
from apps.core.names import display_name
from apps.core.numbers import DecimalField
from apps.doctors.models import Doctor
from apps.laboratory.models import LabPanel, LabResult, LabTest, Priority
from apps.laboratory.services import result_field


def item_choices(panels: Sequence[LabPanel], tests: Sequence[LabTest]) -> list[tuple[str, str]]:
    return [(f"panel:{p.pk}", display_name(p)) for p in panels] + [
        (f"test:{t.pk}", display_name(t)) for t in tests
    ]


class OrderForm(forms.Form):
    patient = forms.UUIDField(
        label=_("Patient"), error_messages={"required": _("Choose the patient.")}
    )
    items = forms.MultipleChoiceField(
        label=_("Tests"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one test or panel.")},
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.ROUTINE,
        widget=forms.RadioSelect,
    )
    ordering_doctor = forms.ModelChoiceField(
        label=_("Ordering doctor"),
        queryset=Doctor.objects.none(),
        required=False,
        empty_label=_("None (walk-in)"),
        help_text=_(
            "Naming a doctor records the doctor's verbal or written order as transcribed by you."
        ),
    )
    clinical_notes = forms.CharField(
        label=_("Clinical notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        panels: Sequence[LabPanel],
        tests: Sequence[LabTest],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.panels = {str(p.pk): p for p in panels}
        self.tests = {str(t.pk): t for t in tests}
        self.fields["items"].choices = item_choices(panels, tests)  # type: ignore[attr-defined]
        self.fields["ordering_doctor"].queryset = Doctor.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by(az_order("full_name"))

    def chosen(self) -> tuple[list[LabPanel], list[LabTest]]:
        panels, tests = [], []
        for value in self.cleaned_data["items"]:
            kind, _sep, pk = value.partition(":")
            if kind == "panel":
                panels.append(self.panels[pk])
            else:
                tests.append(self.tests[pk])
        return panels, tests


class ResultsForm(forms.Form):
    """One field per result of the order (``result_<id>``), so an error stands next to
    its test."""

    def __init__(self, *args: Any, results: Sequence[LabResult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results = list(results)
        for result in self.results:
            self.fields[result_field(result)] = forms.CharField(
                label=display_name(result.test),
                required=False,
                max_length=200,
                initial=result.value,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off"}
                    if result.test.is_numeric
                    else {"autocomplete": "off"}
                ),
            )

    def rows(self) -> list[tuple[LabResult, forms.BoundField]]:
        return [(result, self[result_field(result)]) for result in self.results]

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        error_messages={"required": _("Say why the order is cancelled.")},
    )


class AmendForm(forms.Form):
    value = forms.CharField(
        label=_("Corrected result"),
        max_length=200,
        error_messages={"required": _("Enter the corrected result.")},
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=300,
        error_messages={"required": _("Say why the result is amended.")},
    )


class CatalogueItemForm(forms.Form):
    price = DecimalField(label=_("Price"), max_digits=10, min_value=None)
    is_active = forms.BooleanField(label=_("Offered"), required=False)


class SettingsForm(forms.Form):
    approval_required = forms.BooleanField(
        label=_("Results need approval by a second person"), required=False
    )
