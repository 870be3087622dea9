"""Two factors: a TOTP authenticator app, and ten one-time recovery codes for the day the
phone is lost (django-otp's TOTP and static devices, in the platform database).

Required for administrators (``rules.two_factor_required``), optional for other staff.
A session is verified once a token was given in it (django-otp keeps the device in the
session; ``request.user.is_verified()``); apps.accounts.middleware asks for the token,
or for an enrolment, before anything else is shown.

Recovery codes are stored hashed: django-otp's static device keeps each code in clear
and finds it by equality, so we give it a keyed hash of the code instead of the code
(``_recovery_code_hash``). Whoever reads the database cannot sign in with them; the
hash is keyed by SECRET_KEY, so replacing that key voids the codes (each user makes new
ones by enrolling again).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateformat import time_format
from django.utils.translation import gettext
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import (
    StaticDevice,
    StaticToken,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.rules import two_factor_required
from apps.core.exceptions import ValidationError

if TYPE_CHECKING:
    from apps.accounts.models import User

RECOVERY_CODE_COUNT = 10
#: lower-case base32: no 0/1/8/9 to mistake for O/I/B/g when read from paper
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_RECOVERY_CODE_LENGTH = 10  # 50 bits, shown as two groups of five
_TOTP_DIGITS = 6


def totp_issuer(device: Any) -> str:
    """The name an authenticator app shows beside the username: the hospital's, or the
    platform's for a platform account."""
    hospital = device.user.hospital
    return f"HMS · {hospital.name}" if hospital is not None else "HMS"


def two_factor_enabled(user: User) -> bool:
    """Has ``user`` a confirmed authenticator (so every sign-in asks for a token)?"""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


@dataclass(frozen=True)
class Enrolment:
    """A confirmed authenticator and the recovery codes made with it, for showing once;
    the codes are never stored in clear or logged."""

    device: Any
    recovery_codes: list[str]

    def __repr__(self) -> str:  # keep the codes out of tracebacks and logs
        return f"Enrolment(user={self.device.user_id})"


def totp_enrolment_start(*, user: User) -> Any:
    """The authenticator ``user`` is setting up: a new secret, or the one already shown
    (reloading the page keeps the QR code the phone may have scanned)."""
    if two_factor_enabled(user):
        raise ValidationError(gettext("Two-factor sign-in is already set up."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_enrolment_confirm(*, user: User, token: str) -> Enrolment:
    """Confirm the authenticator being set up with a token it shows, and make new
    recovery codes (any earlier ones stop working)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(gettext("Start the set-up again."), field="token")
    held_back = _held_back_until(device)
    if held_back is not None:
        raise ValidationError(_refusal(held_back), field="token")
    # outside any transaction of ours: a wrong token's throttling must be kept
    if not device.verify_token(_digits(token)):
        raise ValidationError(_refusal(None), field="token")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
    return Enrolment(device=device, recovery_codes=codes)


def two_factor_verify(*, user: User, token: str) -> Any:
    """The device that accepts ``token`` (six digits from the authenticator, or a
    recovery code, which then stops working); refused with a message saying when to try
    again once django-otp's throttling holds the device back."""
    typed = "".join(token.split())
    if typed.isdigit() and len(typed) == _TOTP_DIGITS:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        candidate = typed
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        candidate = _recovery_code_hash(typed)
    held_back = None
    for device in devices:
        with transaction.atomic():  # one verification at a time per device
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            held_back = _held_back_until(locked)
            if held_back is None and locked.verify_token(candidate):
                return locked
    raise ValidationError(_refusal(held_back), field="token")


def two_factor_remove(*, user: User) -> None:
    """Forget ``user``'s authenticator and recovery codes. A session verified with them
    is no longer verified (django-otp finds no device): an administrator then has to
    enrol again before going on."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_turn_off(*, user: User, token: str) -> None:
    """``user`` turns their own optional two-factor sign-in off, with a current token
    (an open session alone is not enough)."""
    if two_factor_required(user):
        raise ValidationError(gettext("Your role requires two-factor sign-in."))
    two_factor_verify(user=user, token=token)
    two_factor_remove(user=user)


def two_factor_restart(*, user: User, token: str) -> None:
    """``user`` sets up a new authenticator (a new phone), with a current token; the old
    one and its recovery codes stop working."""
    two_factor_verify(user=user, token=token)
    two_factor_remove(user=user)


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_recovery_code_hash(code)) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _recovery_code_new() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_CODE_LENGTH))


def _recovery_code_hash(typed: str) -> str:
    """What a static device stores for a code: 16 hex characters (its column's width) of
    an HMAC keyed by SECRET_KEY. Typing is forgiven: case and the hyphen do not count."""
    code = typed.replace("-", "").lower()
    return salted_hmac("hms.accounts.recovery_code", code, algorithm="sha256").hexdigest()[:16]


def _digits(token: str) -> str:
    return "".join(token.split())


def _held_back_until(device: Any) -> datetime | None:
    """Until when django-otp's throttling refuses any token for ``device`` (after n wrong
    ones in a row, 2^(n-1) seconds), or None."""
    allowed, why = device.verify_is_allowed()
    if allowed or not why or why.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    return why["locked_until"]  # type: ignore[no-any-return]


def _refusal(held_back_until: datetime | None) -> str:
    if held_back_until is not None:
        return gettext("Too many wrong codes. Try again after %(time)s.") % {
            "time": time_format(timezone.localtime(held_back_until), "H:i:s")
        }
    return gettext("That code is not right. Type the current code, or a recovery code.")
