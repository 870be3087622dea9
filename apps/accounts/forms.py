from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User

TEMPORARY_PASSWORD_EXPIRED = _(
    "This temporary password has expired. Ask your administrator for a new one."
)


def ensure_temporary_password_valid(user: User) -> None:
    if user.temporary_password_expired:
        raise forms.ValidationError(TEMPORARY_PASSWORD_EXPIRED, code="temporary_expired")


class PlatformAuthenticationForm(AdminAuthenticationForm):
    """The platform admin's sign-in: an expired temporary password is refused too."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        ensure_temporary_password_valid(user)


class HospitalAuthenticationForm(AuthenticationForm):
    """Sign-in on a hospital's host: only that hospital's staff (and platform
    superusers) may pass, even with a valid password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_member": _("This account cannot sign in to %(hospital)s."),
    }

    def __init__(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.refused_membership = False

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        ensure_temporary_password_valid(user)
        hospital = self.request.hospital  # type: ignore[union-attr]
        if not user.belongs_to(hospital.pk):
            self.refused_membership = True
            raise forms.ValidationError(
                self.error_messages["not_member"],
                code="not_member",
                params={"hospital": hospital.name},
            )
