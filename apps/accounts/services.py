"""User management: every page or command that makes a login goes through here.

The router sends every User query to the platform database, so nothing here (or in a
caller) names a database.
"""

from __future__ import annotations

import logging
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from apps.accounts.hashers import TemporaryPasswordHasher
from apps.accounts.models import Role, User, temporary_password_expiry
from apps.accounts.two_factor import two_factor_remove
from apps.core.exceptions import ValidationError
from apps.tenancy.hooks import PasswordHash  # tenancy's jobs keep one until they run

if TYPE_CHECKING:
    import uuid

    from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

# Read aloud or copied from paper: no look-alikes (l/I/1, O/0/o).
_TEMPORARY_PASSWORD_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "lI1O0o"
)
_TEMPORARY_PASSWORD_LENGTH = 16
_MAX_USERNAME_ATTEMPTS = 50


@dataclass(frozen=True)
class CreatedAccount:
    """A new account and, when one was generated, its temporary password.

    The password is for showing once to the person who created the account; it is never
    stored in clear or logged.
    """

    user: User
    temporary_password: str | None

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"CreatedAccount(user={self.user.username!r})"


# Letters that Unicode does not decompose into a base letter plus an accent; without
# this "Əliyeva" would become "liyeva". Azerbaijani and Turkish first, as our users are.
_TRANSLITERATION = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "İ": "i",
        "ş": "sh",
        "Ş": "sh",
        "ç": "ch",
        "Ç": "ch",
        "ğ": "g",
        "Ğ": "g",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
    }
)


def username_base_from_name(full_name: str) -> str:
    transliterated = full_name.translate(_TRANSLITERATION)
    ascii_name = (
        unicodedata.normalize("NFKD", transliterated).encode("ascii", "ignore").decode("ascii")
    )
    parts = re.findall(r"[a-z0-9]+", ascii_name.lower())
    return ".".join(parts)[:120] or "user"


def username_candidates(base: str) -> list[str]:
    return [base] + [f"{base}.{n}" for n in range(2, _MAX_USERNAME_ATTEMPTS + 1)]


def temporary_password_generate() -> str:
    """A strong random password with at least one lower, upper case letter and digit."""
    while True:
        password = "".join(
            secrets.choice(_TEMPORARY_PASSWORD_ALPHABET) for _ in range(_TEMPORARY_PASSWORD_LENGTH)
        )
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def split_full_name(full_name: str) -> tuple[str, str]:
    parts = full_name.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0][:150], (parts[1] if len(parts) > 1 else "")[:150]


def password_hash_make(raw_password: str, *, temporary: bool) -> PasswordHash:
    """Hash a password: a person's own with the preferred hasher, a generated temporary
    one with TemporaryPasswordHasher (see apps.accounts.hashers)."""
    hasher = TemporaryPasswordHasher.algorithm if temporary else "default"
    return PasswordHash(make_password(raw_password, hasher=hasher), must_change=temporary)


def account_create(
    *,
    hospital: Hospital | None,
    full_name: str,
    role: str,
    email: str = "",
    password: str | None = None,
    password_hash: PasswordHash | None = None,
    username_base: str | None = None,
) -> CreatedAccount:
    """Create a login for a person of ``hospital`` with ``role``.

    The username is generated from the name (``amina.karimova``, then
    ``amina.karimova.2`` ...) and is unique across the platform. Without ``password`` a
    temporary one is generated, returned once, and must be changed at first login.
    ``password_hash`` is a password already hashed by whoever will show it (a job gets
    only the hash, so the clear text never travels through the broker).
    """
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}", field="role")
    if hospital is None and role != Role.PLATFORM_ADMIN:
        raise ValidationError("Hospital staff must belong to a hospital", field="hospital")
    first_name, last_name = split_full_name(full_name)
    temporary_password = None
    if password_hash is None:
        # Hash once, not once per username tried.
        temporary_password = None if password else temporary_password_generate()
        password_hash = password_hash_make(
            password or temporary_password or "", temporary=not password
        )
    base = username_base or username_base_from_name(full_name)
    for candidate in username_candidates(base):
        if User.objects.filter(username=candidate).exists():
            continue
        user = User(
            username=candidate,
            first_name=first_name,
            last_name=last_name,
            email=email,
            role=role,
            hospital=hospital,
            must_change_password=password_hash.must_change,
            temporary_password_expires_at=(
                temporary_password_expiry() if password_hash.must_change else None
            ),
            password=password_hash.encoded,
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            continue  # taken by a concurrent registration between the check and the save
        return CreatedAccount(user=user, temporary_password=temporary_password)
    raise ValidationError(f"Could not find a free username for {full_name!r}", field="username")


def password_change(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.temporary_password_expires_at = None
    user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])


def password_hash_apply(*, user: User, password_hash: PasswordHash) -> None:
    """Give ``user`` a password hashed beforehand (a temporary one expires, see
    ``temporary_password_expiry``)."""
    user.password = password_hash.encoded
    user.must_change_password = password_hash.must_change
    user.temporary_password_expires_at = (
        temporary_password_expiry() if password_hash.must_change else None
    )
    user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])


def account_get_linkable(*, hospital: Hospital, user_id: uuid.UUID | str) -> User:
    """The account ``user_id`` if it may be linked to a record of ``hospital``: it must
    exist, belong to that hospital and be active."""
    user = User.objects.filter(pk=user_id, hospital=hospital).first()
    if user is None:
        raise ValidationError(gettext("There is no such account in this hospital."), field="user")
    if not user.is_active:
        raise ValidationError(
            gettext("The account %(username)s is deactivated; reactivate it first.")
            % {"username": user.username},
            field="user",
        )
    return user


# -- managing a hospital's accounts ---------------------------------------------------

#: roles a hospital admin may give an account on the staff pages; patient accounts are
#: made by patient registration and platform admins on the platform only
STAFF_ROLES = tuple(role for role in Role if role not in (Role.PLATFORM_ADMIN, Role.PATIENT))


@dataclass(frozen=True)
class IssuedPassword:
    """A new temporary password for ``user``, for showing once; never stored or logged."""

    user: User
    temporary_password: str

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"IssuedPassword(user={self.user.username!r})"


def _is_platform_account(user: User) -> bool:
    return (
        user.hospital_id is None
        or user.is_superuser
        or user.is_staff
        or user.role == Role.PLATFORM_ADMIN
    )


def _ensure_manageable(*, user: User, actor: User) -> None:
    """Only a hospital's own accounts are managed here, and only by that hospital's
    admins (or platform superusers); platform accounts (``is_staff`` opens the platform
    admin) are managed in the platform admin only.

    The administrator rule: a hospital administrator's account (another one's, not
    their own) is managed by the platform only — a hospital administrator can neither
    reset, demote nor deactivate a fellow administrator, so nobody acts under another
    administrator's name, and nobody can take a hospital over from inside it.
    """
    if _is_platform_account(user):
        raise ValidationError(gettext("Platform accounts are managed in the platform admin."))
    if not (actor.is_superuser or (actor.is_hospital_admin and actor.belongs_to(user.hospital_id))):
        raise ValidationError(
            gettext("Only this hospital's administrators may manage its accounts.")
        )
    if user.role == Role.HOSPITAL_ADMIN and user.pk != actor.pk and not actor.is_superuser:
        raise ValidationError(
            gettext("Another administrator's account is managed by the platform administrators.")
        )


def role_ensure_grantable(*, role: str, actor: User) -> None:
    """May ``actor`` give an account ``role``? Staff roles only; the administrator role
    only by the platform (see ``_ensure_manageable``)."""
    if role not in STAFF_ROLES:
        raise ValidationError(
            gettext("%(role)s is not a staff role.") % {"role": repr(role)}, field="role"
        )
    if role == Role.HOSPITAL_ADMIN and not actor.is_superuser:
        raise ValidationError(
            gettext("Only the platform administrators may make a hospital administrator."),
            field="role",
        )


def account_create_by(
    *, actor: User, hospital: Hospital, full_name: str, role: str, email: str = ""
) -> CreatedAccount:
    """A staff login made on the staff pages by ``actor`` (see ``role_ensure_grantable``),
    with a temporary password returned once."""
    if not (actor.is_superuser or (actor.is_hospital_admin and actor.belongs_to(hospital.pk))):
        raise ValidationError(
            gettext("Only this hospital's administrators may manage its accounts.")
        )
    role_ensure_grantable(role=role, actor=actor)
    account = account_create(hospital=hospital, full_name=full_name, role=role, email=email)
    logger.info("account %s created by %s", account.user.username, actor.username)
    return account


def _ensure_another_admin_remains(*, user: User) -> None:
    """Refuse to leave a hospital without an active administrator. Runs inside a
    transaction; the admin rows are locked so two admins cannot demote each other."""
    others = list(
        User.objects.select_for_update()
        # hospital_id is set here (_ensure_manageable ran); the stubs refuse None for it
        .filter(hospital_id=user.hospital_id, role=Role.HOSPITAL_ADMIN, is_active=True)  # type: ignore[misc]
        .exclude(pk=user.pk)
        .values_list("pk", flat=True)
    )
    if not others:
        raise ValidationError(
            gettext("%(username)s is the hospital's last active administrator.")
            % {"username": user.username},
            field="role",
        )


def account_reset_password(*, user: User, actor: User) -> IssuedPassword:
    """Give ``user`` a new temporary password, to be changed at the next sign-in.

    Setting a password also signs the user out everywhere: Django checks a hash of the
    password stored in each session.

    Never one's own: a temporary password is changed at sign-in without the current
    one, so resetting one's own would let anyone at an open session take the account
    (one's own password is changed on the password page, which asks for it).
    """
    _ensure_manageable(user=user, actor=actor)
    if user.pk == actor.pk:
        raise ValidationError(
            gettext("You cannot reset your own password: change it on your password page.")
        )
    temporary_password = temporary_password_generate()
    user.set_temporary_password(temporary_password)
    user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])
    logger.info("password of %s reset by %s", user.username, actor.username)
    return IssuedPassword(user=user, temporary_password=temporary_password)


def account_reset_two_factor(*, user: User, actor: User) -> User:
    """Forget ``user``'s authenticator and recovery codes (a lost phone): they sign in
    with their password alone and, if their role requires two factors, set up a new
    authenticator straight away.

    Never one's own: with one's own session that would turn the second factor off
    without it (one's own is changed on the two-factor page, with a current code)."""
    _ensure_manageable(user=user, actor=actor)
    if user.pk == actor.pk:
        raise ValidationError(
            gettext("You cannot reset your own two-factor sign-in: change it on its page.")
        )
    two_factor_remove(user=user)
    logger.info("two-factor sign-in of %s reset by %s", user.username, actor.username)
    return user


def account_deactivate(*, user: User, actor: User) -> User:
    """Stop ``user`` from signing in and end every session of theirs (raising
    ``session_generation`` changes the hash each session carries, so even after a
    reactivation no old session works again). The account, its history and its link to
    a record are kept."""
    _ensure_manageable(user=user, actor=actor)
    if user.pk == actor.pk:
        raise ValidationError(gettext("You cannot deactivate your own account."))
    with transaction.atomic():
        if user.role == Role.HOSPITAL_ADMIN:
            _ensure_another_admin_remains(user=user)
        User.objects.filter(pk=user.pk).update(
            is_active=False, session_generation=F("session_generation") + 1
        )
    user.refresh_from_db(fields=["is_active", "session_generation"])
    logger.info("account %s deactivated by %s", user.username, actor.username)
    return user


def account_reactivate(*, user: User, actor: User) -> User:
    _ensure_manageable(user=user, actor=actor)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    logger.info("account %s reactivated by %s", user.username, actor.username)
    return user


def account_change_role(*, user: User, role: str, actor: User) -> User:
    """Give a staff account another staff role; the role decides which modules it sees.

    Patient portal accounts keep their role, and no staff account becomes a patient
    account: either change would hand one kind of person the other's access.
    """
    _ensure_manageable(user=user, actor=actor)
    if role not in STAFF_ROLES:
        raise ValidationError(
            gettext("%(role)r is not a staff role.") % {"role": role}, field="role"
        )
    if role != user.role:
        role_ensure_grantable(role=role, actor=actor)
    if user.role == Role.PATIENT:
        raise ValidationError(
            gettext("A patient's portal account cannot get a staff role."), field="role"
        )
    if user.pk == actor.pk and role != user.role:
        raise ValidationError(gettext("You cannot change your own role."), field="role")
    if role == user.role:
        return user
    with transaction.atomic():
        if user.role == Role.HOSPITAL_ADMIN:
            _ensure_another_admin_remains(user=user)
        User.objects.filter(pk=user.pk).update(role=role)
    previous, user.role = user.role, role
    logger.info(
        "role of %s changed from %s to %s by %s", user.username, previous, role, actor.username
    )
    return user


def account_discard(*, user: User) -> None:
    """Delete an account made a moment ago for a record that then could not be saved
    (compensation across the two databases). An account that was ever used is kept."""
    if user.last_login is not None:
        raise ValidationError(
            gettext("%(username)s has signed in already; deactivate it instead.")
            % {"username": user.username}
        )
    User.objects.filter(pk=user.pk, last_login__isnull=True).delete()
    logger.info("discarded unused account %s", user.username)
