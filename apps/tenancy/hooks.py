"""What tenancy needs from other shared apps, named by the settings — tenancy imports none.

The hospital administrator's account is accounts' business: ``settings.
HOSPITAL_ADMIN_PROVIDER`` names the :class:`HospitalAdminProvider` that makes it
(``apps.accounts.provisioning.HospitalAdmins``), the way ``AUTH_USER_MODEL`` names the
user model — a setting, not a call in some app's ``ready()``, so there is one place to read
what is plugged in and no import order to get right. Provisioning and the job runner ask
:func:`hospital_admin_provider` for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


@dataclass(frozen=True)
class PasswordHash:
    """A password as stored, and whether it is a temporary one to change at first login
    (what a queued job keeps instead of the clear password)."""

    encoded: str
    must_change: bool

    def __repr__(self) -> str:
        return f"PasswordHash(must_change={self.must_change})"


@dataclass(frozen=True)
class AdminOutcome:
    """What ensuring the hospital administrator did."""

    username: str
    #: shown once to whoever asked; None when a password was given or none was applied
    temporary_password: str | None
    #: a new account was made (``undo`` removes it)
    created: bool
    #: this run gave the administrator a password (a kept admin gets none)
    password_applied: bool
    #: takes back what was done when the build fails later (removes a created account)
    undo: Callable[[], None]

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"AdminOutcome(username={self.username!r}, created={self.created})"


class HospitalAdminProvider(Protocol):
    def ensure_admin(
        self, hospital: Hospital, password: str | PasswordHash | None, *, keep_existing: bool
    ) -> AdminOutcome:
        """The hospital administrator's account: created, or (on a retry) given the
        password again — unless ``keep_existing``, when an existing one is left alone.
        ``password`` None: a temporary one is generated and returned once."""
        ...

    def password_hash_make(self, raw_password: str, *, temporary: bool) -> PasswordHash:
        """Hash a password for a job to apply later (a temporary one must be changed)."""
        ...

    def temporary_password_generate(self) -> str:
        """A strong random password to show once."""
        ...


def hospital_admin_provider() -> HospitalAdminProvider:
    """The maker of hospital administrators named by ``settings.HOSPITAL_ADMIN_PROVIDER``."""
    path = getattr(settings, "HOSPITAL_ADMIN_PROVIDER", "")
    if not path:
        raise ImproperlyConfigured(
            "settings.HOSPITAL_ADMIN_PROVIDER names no hospital administrator provider "
            "(it is apps.accounts.provisioning.HospitalAdmins in hms/settings.py)."
        )
    return _provider_at(path)


@functools.cache
def _provider_at(path: str) -> HospitalAdminProvider:
    try:
        provider_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"settings.HOSPITAL_ADMIN_PROVIDER: {path!r} cannot be imported ({error})."
        ) from error
    provider: HospitalAdminProvider = provider_class()
    return provider
