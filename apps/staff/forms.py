"""Forms only parse what was typed; the rules live in the services."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.services import STAFF_ROLES
from apps.staff.models import StaffMember
from apps.staff.services import InvalidStaffDetails, StaffDetails, staff_details_clean

STAFF_ROLE_CHOICES = [(role.value, role.label) for role in STAFF_ROLES]
DETAIL_FIELDS = tuple(field.name for field in fields(StaffDetails))


class AccountCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *STAFF_ROLE_CHOICES])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)


class LinkAccountForm(forms.Form):
    user = forms.UUIDField(label=_("Login"))


class CreateLoginForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *STAFF_ROLE_CHOICES], initial=Role.NURSE
    )


class StaffMemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    job_title = forms.CharField(label=_("Job title"), max_length=120)
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput({"type": "tel"})
    )
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_staff_member(cls, staff_member: StaffMember, data: object = None) -> StaffMemberForm:
        initial = {name: getattr(staff_member, name) for name in DETAIL_FIELDS}
        return cls(data=data, initial=initial)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        """Apply the service's rules here too, so every wrong field shows in one round."""
        cleaned = super().clean() or {}
        try:
            staff_details_clean(self._details_from(cleaned))
        except InvalidStaffDetails as exc:
            for field, message in exc.errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    @staticmethod
    def _details_from(cleaned: dict[str, Any]) -> StaffDetails:
        values: dict[str, Any] = {name: cleaned.get(name) or "" for name in DETAIL_FIELDS}
        values["is_active"] = bool(cleaned.get("is_active"))
        return StaffDetails(**values)

    def details(self) -> StaffDetails:
        return self._details_from(self.cleaned_data)
