from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.modules import all_modules
from apps.tenancy import storage as storage_registry
from apps.tenancy.branding import LOGO_MAX_BYTES, logo_content_type
from apps.tenancy.models import Hospital, default_time_zone, time_zone_names
from apps.tenancy.services import default_modules


def _module_choices() -> list[tuple[str, str | Promise]]:
    return [(module.key, module.label) for module in all_modules()]


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(time_zone_names())]


def _time_zone_field() -> forms.ChoiceField:
    """The hospital's clock, from the IANA names (Asia/Baku); the platform's zone until
    someone chooses. Not required: a post without it (an older page, a script) keeps the
    zone the hospital has, or gets the platform's."""
    return forms.ChoiceField(
        label=capfirst(Hospital._meta.get_field("time_zone").verbose_name),
        choices=_time_zone_choices,
        initial=default_time_zone,
        required=False,
    )


def _currency_clean(value: object) -> str:
    currency = str(value or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise forms.ValidationError(_("Use a three-letter ISO 4217 code, e.g. AZN."))
    return currency


class HospitalAddForm(forms.Form):
    """The admin's "add hospital" form: only name and subdomain are required. The
    business rules (reserved or taken names, code format) are the service's."""

    name = forms.CharField(label=_("Name"), max_length=200)
    subdomain = forms.CharField(
        label=_("Subdomain"),
        max_length=63,
        help_text=_("The first part of the hospital's address: city-general becomes %(host)s")
        % {"host": f"city-general.{settings.HMS_BASE_DOMAIN}"},
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        required=False,
        help_text=_("Leave empty to derive it from the name (City General Hospital → CGH001)."),
    )
    admin_name = forms.CharField(
        label=_("Administrator's name"),
        max_length=150,
        required=False,
        help_text=_("The hospital administrator; the username is made from the name."),
    )
    admin_email = forms.EmailField(label=_("Administrator's email"), required=False)
    # What the staff see from the first day: an Azerbaijani hospital must not start in
    # English and in UTC. The model's fields, so labels and choices are the Edit form's;
    # not required: left out, they are the model's defaults, as before they were asked.
    language = Hospital._meta.get_field("language").formfield(required=False)
    currency = Hospital._meta.get_field("currency").formfield(required=False)
    time_zone = _time_zone_field()
    plan = forms.ChoiceField(
        label=_("Plan"),
        choices=Hospital.Plan.choices,
        initial=Hospital.Plan.STANDARD,
        required=False,
    )
    enabled_modules = forms.MultipleChoiceField(
        label=_("Enabled modules"),
        choices=_module_choices,
        initial=default_modules,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = [storage.key for storage in storage_registry.storages()]
        if len(keys) > 1:  # one storage: nothing to choose
            self.fields["server"] = forms.ChoiceField(
                label=_("Database server"),
                choices=[("", _("The least loaded")), *((key, key) for key in keys)],
                required=False,
                help_text=_("Where the hospital's database goes."),
            )

    def clean_plan(self) -> str:
        return self.cleaned_data["plan"] or Hospital.Plan.STANDARD

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"]
        return _currency_clean(currency) if currency else ""

    def clean_server(self) -> str | None:
        return self.cleaned_data.get("server") or None


class RecreateConfirmationForm(forms.Form):
    """One "type the subdomain" field per hospital to recreate."""

    def __init__(self, *args: object, hospitals: list[Hospital], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.hospitals = hospitals
        for hospital in hospitals:
            self.fields[self.field_name(hospital)] = forms.CharField(
                label=_("Type %(subdomain)s to recreate %(name)s")
                % {"subdomain": hospital.subdomain, "name": hospital.name},
                max_length=63,
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for hospital in self.hospitals:
            name = self.field_name(hospital)
            typed = str(cleaned.get(name, "")).strip().lower()
            if name in cleaned and typed != hospital.subdomain:
                self.add_error(
                    name,
                    _("Type %(subdomain)s exactly to confirm.") % {"subdomain": hospital.subdomain},
                )
        return cleaned

    @staticmethod
    def field_name(hospital: Hospital) -> str:
        return f"confirm_{hospital.pk.hex}"

    def confirmations(self) -> dict[str, str]:
        return {str(h.pk): self.cleaned_data.get(self.field_name(h), "") for h in self.hospitals}


class HospitalChangeForm(forms.ModelForm):
    """The admin's hospital form: modules as checkboxes (the field is a JSON list), the
    language, currency and address people see, and the logo of the print header."""

    enabled_modules = forms.MultipleChoiceField(
        label=_("Enabled modules"),
        choices=_module_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "Printed at the top of the hospital's documents. PNG, JPEG, GIF or WebP, up to 512 KB."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    time_zone = _time_zone_field()

    class Meta:
        model = Hospital
        fields = [
            "name",
            "plan",
            "enabled_modules",
            "language",
            "currency",
            "time_zone",
            "address",
            "phone",
            "tax_id",
            "session_idle_minutes",
            "admin_name",
            "admin_email",
        ]

    def clean_currency(self) -> str:
        return _currency_clean(self.cleaned_data["currency"])

    def clean_time_zone(self) -> str:
        return str(self.cleaned_data["time_zone"] or self.instance.time_zone)

    def clean_logo(self) -> bytes | None:
        upload: Any = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo may be at most 512 KB."))
        data: bytes = upload.read()
        if logo_content_type(data) is None:
            raise forms.ValidationError(_("Upload the logo as a PNG, JPEG, GIF or WebP image."))
        return data


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
