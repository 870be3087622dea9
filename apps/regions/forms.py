"""Input forms for the hospital's own reference data. They parse and type the input;
the rules (codes, duplicates, active parents) live in apps.regions.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.regions.models import City, Region
from apps.regions.selectors import cities_active, regions_active


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: City) -> str:
        return f"{obj.name} ({obj.region.name})"


class RegionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(
        label=_("Code"), max_length=10, help_text=_("2 to 10 letters or digits, e.g. NAX.")
    )


class CityForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_active()  # type: ignore[attr-defined]


class ClinicForm(forms.Form):
    city = CityChoiceField(label=_("City"), queryset=City.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput({"type": "tel"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities_active()  # type: ignore[attr-defined]


class SpecializationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    # shown to English readers (apps.core.names.display_name); the name is Azerbaijani
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    code = forms.CharField(
        label=_("Code"), max_length=10, help_text=_("2 to 10 letters or digits, e.g. SPORT.")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
