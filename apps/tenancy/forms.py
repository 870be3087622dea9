from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import Hospital
from apps.tenancy.registry import all_modules
from apps.tenancy.services import default_modules


def _module_choices() -> list[tuple[str, str]]:
    return [(module.key, module.label) for module in all_modules()]


class HospitalAddForm(forms.Form):
    """The admin's "add hospital" form: only name and subdomain are required. The
    business rules (reserved or taken names, code format) are the service's."""

    name = forms.CharField(max_length=200)
    subdomain = forms.CharField(
        max_length=63,
        help_text=f"The hospital's address: &lt;subdomain&gt;.{settings.HMS_BASE_DOMAIN}",
    )
    code = forms.CharField(
        max_length=16,
        required=False,
        help_text="Leave empty to derive it from the name (City General Hospital → CGH001).",
    )
    admin_name = forms.CharField(
        label="Administrator's name",
        max_length=150,
        required=False,
        help_text="The hospital administrator; the username is made from the name.",
    )
    admin_email = forms.EmailField(label="Administrator's email", required=False)
    plan = forms.ChoiceField(
        choices=Hospital.Plan.choices, initial=Hospital.Plan.STANDARD, required=False
    )
    enabled_modules = forms.MultipleChoiceField(
        choices=_module_choices,
        initial=default_modules,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_plan(self) -> str:
        return self.cleaned_data["plan"] or Hospital.Plan.STANDARD


class RecreateConfirmationForm(forms.Form):
    """One "type the subdomain" field per hospital to recreate."""

    def __init__(self, *args: object, hospitals: list[Hospital], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.hospitals = hospitals
        for hospital in hospitals:
            self.fields[self.field_name(hospital)] = forms.CharField(
                label=f"Type {hospital.subdomain} to recreate {hospital.name}",
                max_length=63,
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for hospital in self.hospitals:
            name = self.field_name(hospital)
            typed = str(cleaned.get(name, "")).strip().lower()
            if name in cleaned and typed != hospital.subdomain:
                self.add_error(name, f"Type {hospital.subdomain} exactly to confirm.")
        return cleaned

    @staticmethod
    def field_name(hospital: Hospital) -> str:
        return f"confirm_{hospital.pk.hex}"

    def confirmations(self) -> dict[str, str]:
        return {str(h.pk): self.cleaned_data.get(self.field_name(h), "") for h in self.hospitals}


class RestoreConfirmationForm(forms.Form):
    """Restoring a backup over a hospital's database: its subdomain typed again."""

    confirm = forms.CharField(label=_("Type the hospital's subdomain to confirm"), max_length=63)

    def __init__(self, *args: object, hospital: Hospital, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.hospital = hospital

    def clean_confirm(self) -> str:
        typed = str(self.cleaned_data["confirm"]).strip().lower()
        if typed != self.hospital.subdomain:
            raise forms.ValidationError(
                _("Type %(subdomain)s exactly to confirm.") % {"subdomain": self.hospital.subdomain}
            )
        return typed
