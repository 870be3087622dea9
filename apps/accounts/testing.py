"""Test support: a test's ``client.force_login(user)`` stands for a whole sign-in, so it
gives the second factor too (an authenticator made for the test), or every test that
signs an administrator in would meet the enrolment page instead of the page under test.
The tests of the two-factor flow sign in through the pages, which this leaves alone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.accounts.rules import two_factor_required


def _second_factor_at_forced_login(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # force_login signs in on a bare HttpRequest (login() adds only its CSRF token); a
    # sign-in page's request has a path and a server name
    if request is None or request.path or "SERVER_NAME" in request.META:
        return
    if not two_factor_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    # what django_otp.login() stores (it needs request.user, which this request lacks)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def second_factor_at_forced_login() -> None:
    """Connect the receiver above (conftest.py, once per test run)."""
    user_logged_in.connect(_second_factor_at_forced_login, dispatch_uid="tests.second_factor")
