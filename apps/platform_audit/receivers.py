"""Sign-ins and sign-outs on the platform host go to the platform's audit log (those on
a hospital's host go to that hospital's log, see apps.audit.receivers)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from apps.accounts.addresses import client_address
from apps.platform_audit.services import Kind, platform_event_record


def _on_platform_host(request: HttpRequest | None) -> bool:
    # The hospital middleware sets ``hospital`` on every real request (None on the
    # platform host); a request without it (a test's force_login) is not a sign-in page.
    return request is not None and hasattr(request, "hospital") and request.hospital is None


@receiver(user_logged_in, dispatch_uid="platform_audit.login")
def platform_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if _on_platform_host(request):
        assert request is not None
        platform_event_record(kind=Kind.LOGIN, actor=user, address=client_address(request))


@receiver(user_logged_out, dispatch_uid="platform_audit.logout")
def platform_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if _on_platform_host(request) and user is not None:
        assert request is not None
        platform_event_record(kind=Kind.LOGOUT, actor=user, address=client_address(request))


@receiver(user_login_failed, dispatch_uid="platform_audit.login_failed")
def platform_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if _on_platform_host(request):
        assert request is not None
        platform_event_record(
            kind=Kind.LOGIN_FAILED,
            actor_username=str(credentials.get("username", ""))[:150],
            address=client_address(request),
        )
