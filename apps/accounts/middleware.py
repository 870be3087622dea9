"""Access rules for every URL on a hospital's host, in one place.

- Anonymous visitors are sent to the hospital's login page.
- A signed-in user who does not belong to this hospital gets 403 (platform
  superusers may enter any hospital).
- A user whose account has an authenticator gives a code from it before anything else
  (the session remembers it: django-otp's OTPMiddleware); then a temporary password
  must be changed — on the platform host too, where the admin's own password change
  page is the only way on; then an administrator without an authenticator sets one up
  (apps.accounts.two_factor). The same order on the platform host.
  Once that temporary password has expired, the session that signed in with it ends
  (it could otherwise still set a permanent password) and the login page says why.
- A module the hospital does not subscribe to answers 404; a module the user's role
  may not use answers 403.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.access import may_use_module
from apps.accounts.forms import TEMPORARY_PASSWORD_EXPIRED
from apps.accounts.rules import two_factor_required
from apps.accounts.two_factor import two_factor_enabled
from apps.core.modules import module_for_namespace


class HospitalAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        hospital = getattr(request, "hospital", None)
        if hospital is None:
            return _platform_access(request, view_func)
        if getattr(view_func, "login_exempt", False):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.belongs_to(hospital.pk):
            return render(request, "accounts/not_a_member.html", status=403)
        if user.temporary_password_expired:
            return _temporary_password_ended(request, "login")
        step = _second_factor_step(request, view_func)
        if step == _VERIFY:
            return _to_second_factor(request, "two_factor_verify")
        if user.must_change_password and not getattr(view_func, "password_change_exempt", False):
            return redirect("password_change")
        if step == _ENROL and not user.must_change_password:
            return _to_second_factor(request, "two_factor_enrol")
        match = request.resolver_match
        module = module_for_namespace(match.namespaces[0]) if match and match.namespaces else None
        if module is not None:
            if not hospital.module_enabled(module.key):
                raise Http404(f"{module.label} is not enabled for this hospital")
            if not may_use_module(user, module):
                return render(request, "accounts/forbidden.html", {"module": module}, status=403)
        return None


_VERIFY = "verify"
_ENROL = "enrol"


def _second_factor_step(request: HttpRequest, view_func: Callable[..., Any]) -> str | None:
    """What the signed-in user still owes this session: a code (the account has an
    authenticator), an enrolment (the role requires one and there is none), or nothing.
    A verified session costs no query beyond django-otp's own lookup of its device."""
    if getattr(view_func, "two_factor_exempt", False):
        return None
    user = request.user
    if getattr(user, "otp_device", None) is not None:
        return None
    if two_factor_enabled(user):  # type: ignore[arg-type]
        return _VERIFY
    if two_factor_required(user):  # type: ignore[arg-type]
        return _ENROL
    return None


def _to_second_factor(request: HttpRequest, url_name: str) -> HttpResponse:
    target = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseClientRedirect(target) if _is_htmx(request) else redirect(target)


#: admin views a platform user with a temporary password may still reach
_PLATFORM_PASSWORD_CHANGE_EXEMPT = frozenset(
    {
        "password_change",
        "platform_password_change",
        "password_change_done",
        "logout",
        "login",
        "jsi18n",
    }
)


#: platform views a signed-in user may reach before the second factor
_PLATFORM_TWO_FACTOR_EXEMPT = frozenset({"logout", "jsi18n", "language_switch", "healthz"})


def _platform_access(request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return None  # the admin sends its visitors to its own sign-in
    if user.temporary_password_expired:
        return _temporary_password_ended(request, "admin:login")
    match = request.resolver_match
    url_name = match.url_name if match is not None else None
    step = (
        None if url_name in _PLATFORM_TWO_FACTOR_EXEMPT else _second_factor_step(request, view_func)
    )
    if step == _VERIFY:
        return _to_second_factor(request, "two_factor_verify")
    if user.must_change_password and url_name not in _PLATFORM_PASSWORD_CHANGE_EXEMPT:
        return redirect("admin:password_change")
    if step == _ENROL and not user.must_change_password:
        return _to_second_factor(request, "two_factor_enrol")
    return None


def _temporary_password_ended(request: HttpRequest, login_url: str) -> HttpResponse:
    """Sign out a session opened with a temporary password that has since expired."""
    logout(request)
    messages.error(request, TEMPORARY_PASSWORD_EXPIRED)
    return redirect(login_url)


#: session key of the last request's time (seconds since the epoch)
LAST_SEEN_KEY = "hms.last_seen"
#: the stored time is refreshed at most this often, so a page's polls do not write the
#: session on every request
_LAST_SEEN_RESOLUTION = 30


class SessionIdleTimeoutMiddleware:
    """End a signed-in session that has been idle longer than allowed: the hospital's
    ``session_idle_minutes`` on its host, HMS_PLATFORM_SESSION_IDLE_MINUTES on the
    platform. The next request signs out and goes to the login page, which says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._touch(request)
            if expired is not None:
                return expired
        return self.get_response(request)

    def _touch(self, request: HttpRequest) -> HttpResponse | None:
        hospital = getattr(request, "hospital", None)
        minutes = (
            hospital.session_idle_minutes
            if hospital is not None
            else settings.HMS_PLATFORM_SESSION_IDLE_MINUTES
        )
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, (int, float)) and now - last_seen > minutes * 60:
            logout(request)
            messages.info(request, gettext("You were signed out after a while without activity."))
            # before URL resolution: the hospital's URLconf is named explicitly
            urlconf = getattr(request, "urlconf", None)
            login_url = reverse("login" if hospital is not None else "admin:login", urlconf=urlconf)
            target = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseClientRedirect(target) if _is_htmx(request) else redirect(target)
        if not isinstance(last_seen, (int, float)) or now - last_seen >= _LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN_KEY] = now
        return None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class NoStoreForSignedInMiddleware:
    """Whatever a signed-in user is shown (patients, staff, a temporary password, the
    admin) is never kept by the browser's or a proxy's cache, so Back after sign-out or
    the next person at a shared computer finds nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or getattr(request, "hospital", None) is not None:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
            response.headers.pop("Expires", None)
        return response
