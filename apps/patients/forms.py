"""Forms only parse what was typed; the registration rules live in services.py."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.patients.allergies import AllergyDetails, allergen_list
from apps.patients.models import AllergySeverity, BloodGroup, Patient, Sex
from apps.patients.services import InvalidPatientDetails, PatientDetails, patient_details_clean

DETAIL_FIELDS = tuple(field.name for field in fields(PatientDetails))


class PatientForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(
        label=_("Date of birth"),
        # a date input sends and shows ISO dates whatever the language's date format
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=32, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    blood_group = forms.ChoiceField(
        label=_("Blood group"), choices=[("", _("Unknown")), *BloodGroup.choices], required=False
    )
    allergies = forms.CharField(
        label=_("Allergies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("None known")}),
    )
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact"), max_length=200, required=False
    )
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    @classmethod
    def for_patient(cls, patient: Patient, data: object = None) -> PatientForm:
        initial = {name: getattr(patient, name) for name in DETAIL_FIELDS}
        return cls(data=data, initial=initial)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        """Also apply the registration rules here, so every wrong field is reported in
        one round, not only those the form itself can parse."""
        cleaned = super().clean() or {}
        try:
            patient_details_clean(self._details_from(cleaned))
        except InvalidPatientDetails as exc:
            for field, message in exc.errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    @staticmethod
    def _details_from(cleaned: dict[str, Any]) -> PatientDetails:
        values: dict[str, Any] = {name: cleaned.get(name) or "" for name in DETAIL_FIELDS}
        values["birth_date"] = cleaned.get("birth_date")
        return PatientDetails(**values)

    def details(self) -> PatientDetails:
        return self._details_from(self.cleaned_data)


class RegistrationForm(PatientForm):
    portal_account = forms.BooleanField(label=_("Create a patient portal login"), required=False)
    #: sent by the "Continue" button of the likely-duplicate warning: the ids of the
    #: matches shown, so a second copy of the form meets the patient the first one made
    confirm_duplicates = forms.CharField(required=False, max_length=400)

    def clean_confirm_duplicates(self) -> list[uuid.UUID]:
        confirmed = []
        for value in self.cleaned_data.get("confirm_duplicates", "").split(","):
            try:
                confirmed.append(uuid.UUID(value.strip()))
            except ValueError:
                continue  # not an id: nothing confirmed, the warning is shown again
        return confirmed


class AllergyForm(forms.Form):
    allergen = forms.TypedChoiceField(label=_("Allergen"), coerce=int)
    reaction = forms.CharField(label=_("Reaction"), max_length=200)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *AllergySeverity.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["allergen"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [("", "—")] + [
            (allergen.pk, f"{allergen.label} ({allergen.get_kind_display().lower()})")
            for allergen in allergen_list()
        ]

    def details(self) -> AllergyDetails:
        data = self.cleaned_data
        return AllergyDetails(data["allergen"], data["reaction"], data["severity"])


class AllergyChangeForm(forms.Form):
    reaction = forms.CharField(label=_("Reaction"), max_length=200)
    severity = forms.ChoiceField(label=_("Severity"), choices=AllergySeverity.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)
