"""The hospital administrator's account, made for tenancy's provisioning pipeline.

Plugged into apps.tenancy.hooks by AccountsConfig.ready(), so tenancy never imports
accounts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.accounts.models import Role, User
from apps.accounts.services import (
    account_create,
    password_hash_apply,
    password_hash_make,
    temporary_password_generate,
)
from apps.tenancy.hooks import AdminOutcome, PasswordHash

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


def _nothing_to_undo() -> None:
    return None


def _apply_password(user: User, password: str | PasswordHash | None) -> str | None:
    """Give ``user`` the password; returns the clear temporary one when generated here."""
    temporary = None
    if not isinstance(password, PasswordHash):
        temporary = None if password else temporary_password_generate()
        password = password_hash_make(password or temporary or "", temporary=temporary is not None)
    password_hash_apply(user=user, password_hash=password)
    return temporary


def hospital_admin_ensure(
    hospital: Hospital, password: str | PasswordHash | None, *, keep_existing: bool
) -> AdminOutcome:
    """The hospital administrator's account: created, or (on a retry) given the password
    again — unless ``keep_existing``, when an existing administrator is left alone."""
    existing = (
        User.objects.filter(hospital=hospital, role=Role.HOSPITAL_ADMIN)
        .order_by("date_joined")
        .first()
    )
    if existing is not None and keep_existing:
        return AdminOutcome(existing.username, None, False, False, _nothing_to_undo)
    if existing is not None:
        temporary = _apply_password(existing, password)
        return AdminOutcome(existing.username, temporary, False, True, _nothing_to_undo)
    account = account_create(
        hospital=hospital,
        full_name=hospital.admin_name or f"{hospital.name} Administrator",
        role=Role.HOSPITAL_ADMIN,
        email=hospital.admin_email,
        password=password if isinstance(password, str) else None,
        password_hash=password if isinstance(password, PasswordHash) else None,
        username_base=None if hospital.admin_name else f"{hospital.subdomain}.admin",
    )
    user = account.user

    def undo() -> None:
        user.delete()

    return AdminOutcome(user.username, account.temporary_password, True, True, undo)


class HospitalAdmins:
    """apps.tenancy.hooks.HospitalAdminProvider, by accounts' own services."""

    def ensure_admin(
        self, hospital: Hospital, password: str | PasswordHash | None, *, keep_existing: bool
    ) -> AdminOutcome:
        return hospital_admin_ensure(hospital, password, keep_existing=keep_existing)

    def password_hash_make(self, raw_password: str, *, temporary: bool) -> PasswordHash:
        return password_hash_make(raw_password, temporary=temporary)

    def temporary_password_generate(self) -> str:
        return temporary_password_generate()
