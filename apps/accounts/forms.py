from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
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
    superusers) may pass, even with a valid password.

    Another hospital's account gets the answer a wrong password gets, and counts as a
    failed sign-in: the page must not tell a guesser that a password was right
    somewhere else."""

    def confirm_login_allowed(self, user: User) -> None:
        hospital = self.request.hospital  # type: ignore[union-attr]
        if not user.belongs_to(hospital.pk):
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        super().confirm_login_allowed(user)
        ensure_temporary_password_valid(user)


class TwoFactorTokenForm(forms.Form):
    """A code from the authenticator app (or a recovery code where the page allows)."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
