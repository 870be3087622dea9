from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from apps.core.modules import Label, RoleSpec, declared_roles


class DeclaredRoles(type):
    """``Role.DOCTOR``, ``Role.choices``, ``for role in Role``: accounts' own roles and
    every role an installed module declares (``Module.roles``, apps.core.modules), so a
    module that needs a new role declares it there and nothing here changes."""

    before_modules: tuple[RoleSpec, ...]
    after_modules: tuple[RoleSpec, ...]

    def __getattr__(cls, name: str) -> RoleSpec:
        # only for names the class itself lacks: the modules' roles, by value in capitals
        if name.isupper():
            for role in declared_roles():
                if role.value.upper() == name:
                    return role
        raise AttributeError(f"no installed module declares the role {name.lower()!r}")

    def all(cls) -> list[RoleSpec]:
        own = {role.value for role in (*cls.before_modules, *cls.after_modules)}
        declared = [role for role in declared_roles() if role.value not in own]
        return [*cls.before_modules, *declared, *cls.after_modules]

    def __iter__(cls) -> Iterator[RoleSpec]:
        return iter(cls.all())

    def __len__(cls) -> int:
        return len(cls.all())

    @property
    def choices(cls) -> list[tuple[str, Label]]:
        return [(role.value, role.label) for role in cls.all()]

    @property
    def values(cls) -> list[str]:
        return [role.value for role in cls.all()]

    @property
    def labels(cls) -> list[Label]:
        return [role.label for role in cls.all()]


class Role(metaclass=DeclaredRoles):
    """The roles a user may have. Accounts owns the platform's and the hospital's
    administrators and the patient; the staff roles (doctor, nurse …) come from the
    modules that declare them, and raise AttributeError when none installed does."""

    PLATFORM_ADMIN = RoleSpec("platform_admin", _("Platform admin"))
    HOSPITAL_ADMIN = RoleSpec("hospital_admin", _("Hospital admin"))
    PATIENT = RoleSpec("patient", _("Patient"))

    #: where accounts' own roles go in every list of roles: around the modules'
    before_modules = (PLATFORM_ADMIN, HOSPITAL_ADMIN)
    after_modules = (PATIENT,)


def role_choices() -> list[tuple[str, Label]]:
    """``User.role``'s choices, read when asked (a new role needs no migration)."""
    return Role.choices


def temporary_password_expiry() -> datetime:
    return timezone.now() + timedelta(hours=settings.HMS_TEMPORARY_PASSWORD_HOURS)


class User(AbstractUser):
    """A login on the platform. Lives in the shared database; hospital staff belong to
    exactly one hospital, platform admins to none."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The default is a plain value: the front desk's role is declared by modules
    # (patients, appointments), and accounts loads whichever modules are installed.
    role = models.CharField(_("role"), max_length=20, choices=role_choices, default="receptionist")
    hospital = models.ForeignKey(
        "tenancy.Hospital",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        default=False,
        help_text=_("Set when the account has a temporary password; cleared once changed."),
    )

    #: the interface language this person chose; empty follows the hospital's default
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    temporary_password_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A temporary password no longer signs in after this moment.",
    )
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every session of the account (deactivation).",
    )

    class Meta:
        ordering = ["username"]

    def set_temporary_password(self, raw_password: str) -> None:
        """Give the account a generated one-time password that must be changed at the
        next sign-in (see apps.accounts.hashers for why it is hashed differently)."""
        from apps.accounts.hashers import TemporaryPasswordHasher

        self.password = make_password(raw_password, hasher=TemporaryPasswordHasher.algorithm)
        self._password = raw_password
        self.must_change_password = True
        self.temporary_password_expires_at = temporary_password_expiry()

    @property
    def temporary_password_expired(self) -> bool:
        return bool(
            self.must_change_password
            and self.temporary_password_expires_at is not None
            and self.temporary_password_expires_at <= timezone.now()
        )

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django checks this hash, stored in each session, on every request: raising
        ``session_generation`` ends every session of the account at once. Generation 0
        hashes as Django does, so sessions made before this field existed stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc,no-any-return]
        return salted_hmac(
            "hms.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def belongs_to(self, hospital_id: object) -> bool:
        """May this user work in the hospital with ``hospital_id``?"""
        if not self.is_active:
            return False
        return self.is_superuser or (
            self.hospital_id is not None and self.hospital_id == hospital_id
        )

    @property
    def is_hospital_admin(self) -> bool:
        return self.role == Role.HOSPITAL_ADMIN or self.is_superuser
