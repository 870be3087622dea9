"""The two-factor pages, the same on a hospital's host and on the platform's: the token
step after the password, the enrolment (secret, QR code, first token, recovery codes
shown once), and one's own two-factor page (set up a new phone, turn it off where the
role allows). apps.accounts.middleware sends a signed-in user here before anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

import segno
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from apps.accounts.access import password_change_exempt, two_factor_exempt
from apps.accounts.forms import TwoFactorTokenForm
from apps.accounts.rules import two_factor_required
from apps.accounts.two_factor import (
    recovery_codes_left,
    totp_enrolment_confirm,
    totp_enrolment_start,
    two_factor_enabled,
    two_factor_restart,
    two_factor_turn_off,
    two_factor_verify,
)
from apps.core.viewkit import form_action, posted

if TYPE_CHECKING:
    from apps.accounts.models import User

View = Callable[..., HttpResponse]


def _signed_in(view: View) -> View:
    """The platform host has no access middleware for anonymous visitors (the admin
    checks its own views); these pages send them to the admin's sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            login_url = "login" if _on_hospital(request) else "admin:login"
            return redirect_to_login(request.get_full_path(), reverse(login_url))
        return view(request, *args, **kwargs)

    return wrapper


@two_factor_exempt
@password_change_exempt  # the token comes before the forced password change
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
@_signed_in
def verify_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if getattr(user, "otp_device", None) is not None or not two_factor_enabled(user):
        return redirect(_onward(request))
    form = TwoFactorTokenForm(data=posted(request))
    done = form_action(form, lambda data: two_factor_verify(user=user, token=data["token"]))
    if done:
        _verified(request, done.result)
        return redirect(_onward(request))
    return _page(request, "accounts/two_factor_verify.html", {"form": form})


@two_factor_exempt
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
@_signed_in
def enrol_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if two_factor_enabled(user):
        return redirect(_onward(request))
    form = TwoFactorTokenForm(data=posted(request))
    done = form_action(form, lambda data: totp_enrolment_confirm(user=user, token=data["token"]))
    if done:
        _verified(request, done.result.device)
        return _page(
            request,
            "accounts/two_factor_recovery_codes.html",
            {"codes": done.result.recovery_codes, "onward": _onward(request)},
        )
    device = totp_enrolment_start(user=user)
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_code": _qr_svg(device.config_url),
        "required": two_factor_required(user),
        "next": _onward(request),
    }
    return _page(request, "accounts/two_factor_enrol.html", context)


@require_http_methods(["GET"])
@_signed_in
def manage_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "enabled": two_factor_enabled(user),
        "required": two_factor_required(user),
        "codes_left": recovery_codes_left(user),
        "form": TwoFactorTokenForm(),
    }
    return _page(request, "accounts/two_factor.html", context)


@sensitive_post_parameters("token")
@require_POST
@_signed_in
def restart_view(request: HttpRequest) -> HttpResponse:
    """A new authenticator (a new phone): the current code first, then the enrolment."""
    form = TwoFactorTokenForm(data=request.POST)
    if form_action(form, lambda data: two_factor_restart(user=_user(request), token=data["token"])):
        return redirect("two_factor_enrol")
    return _manage_refused(request, form)


@sensitive_post_parameters("token")
@require_POST
@_signed_in
def turn_off_view(request: HttpRequest) -> HttpResponse:
    form = TwoFactorTokenForm(data=request.POST)
    user = _user(request)
    if form_action(form, lambda data: two_factor_turn_off(user=user, token=data["token"])):
        messages.success(request, gettext("Two-factor sign-in is off."))
        return redirect("two_factor")
    return _manage_refused(request, form)


def _manage_refused(request: HttpRequest, form: TwoFactorTokenForm) -> HttpResponse:
    user = _user(request)
    context = {
        "enabled": two_factor_enabled(user),
        "required": two_factor_required(user),
        "codes_left": recovery_codes_left(user),
        "form": form,
    }
    return _page(request, "accounts/two_factor.html", context, status=400)


def _verified(request: HttpRequest, device: Any) -> None:
    """Mark the session as verified by ``device``; a new session key, as at sign-in, so
    a key seen before the second factor is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)  # signed in: _signed_in or the middleware saw to it


def _on_hospital(request: HttpRequest) -> bool:
    return getattr(request, "hospital", None) is not None


def _onward(request: HttpRequest) -> str:
    """Where the sign-in was going (``next``, on this host only), else home."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("dashboard" if _on_hospital(request) else "admin:index")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The page in the host's frame: the staff pages' on a hospital, the admin's on the
    platform."""
    if _on_hospital(request):
        frame: dict[str, Any] = {"base_template": "base.html"}
    else:
        frame = {"base_template": "admin/base_site.html", **admin.site.each_context(request)}
    return render(request, template, {**frame, **context}, status=status)


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG markup: no image request, no script or style attribute
    (the CSP allows neither inline), dark on white whatever the page's colours."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", title=gettext("QR code"))
    return mark_safe(svg)  # segno's own markup (it escapes the title) of our own URL
