"""What tenancy needs from other shared apps, plugged in by them — tenancy imports none.

The hospital administrator's account is accounts' business: accounts' ``AppConfig.ready``
plugs in a :class:`HospitalAdminProvider` (apps/accounts/provisioning.py), the way tenant
apps plug in their modules and seeders (apps.tenancy.registry). Provisioning and the job
runner ask :func:`hospital_admin_provider` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

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


_admin_provider: HospitalAdminProvider | None = None


def hospital_admin_provider_set(provider: HospitalAdminProvider | None) -> None:
    """Plug in (or, with None, take out) the maker of hospital administrators."""
    global _admin_provider
    _admin_provider = provider


def hospital_admin_provider() -> HospitalAdminProvider:
    if _admin_provider is None:
        raise ImproperlyConfigured(
            "No hospital administrator provider is plugged in: apps.accounts (its "
            "AppConfig.ready) sets one; is it in INSTALLED_APPS?"
        )
    return _admin_provider
