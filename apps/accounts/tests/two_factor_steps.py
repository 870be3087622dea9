"""Signing in with two factors through the pages, as a person does: the token computed
from the device's key with django-otp's own TOTP (no authenticator library needed)."""

from __future__ import annotations

import re
from binascii import unhexlify

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

RECOVERY_CODE = re.compile(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>")


def token_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator shows now, or ``steps_ahead`` 30-second steps later
    (a code once accepted is refused again, and the device allows one step of drift)."""
    return f"{totp(unhexlify(device.key), t0=-30 * steps_ahead):06d}"


def authenticator_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user)


def enrol(client: Client, user: User, prefix: str = "") -> list[str]:
    """Set up the authenticator on the enrolment page; the recovery codes it shows."""
    page = client.get(f"{prefix}/two-factor/set-up/")
    assert page.status_code == 200, page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(f"{prefix}/two-factor/set-up/", {"token": token_of(device)})
    assert shown.status_code == 200, shown
    codes = RECOVERY_CODE.findall(shown.text)
    assert len(codes) == 10, shown.text
    return codes


def sign_in(client: Client, user: User, password: str, prefix: str = "") -> None:
    login = "/admin/login/" if prefix else "/login/"
    response = client.post(login, {"username": user.username, "password": password})
    assert response.status_code == 302, response
