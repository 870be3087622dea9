"""Sign-ins on a hospital's host go to that hospital's audit log (the request runs in
the hospital's tenant context)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from apps.accounts.addresses import client_address
from apps.audit.services import clinical_event_record


def _hospital_of(request: HttpRequest | None) -> Any:
    return getattr(request, "hospital", None) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit.sign_in")
def hospital_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if _hospital_of(request) is not None:
        assert request is not None
        clinical_event_record(
            action="session.signed_in", actor=user, address=client_address(request)
        )


@receiver(user_logged_out, dispatch_uid="audit.sign_out")
def hospital_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if _hospital_of(request) is not None and user is not None:
        assert request is not None
        clinical_event_record(
            action="session.signed_out", actor=user, address=client_address(request)
        )


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def hospital_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if _hospital_of(request) is not None:
        assert request is not None
        clinical_event_record(
            action="session.sign_in_failed",
            actor_username=str(credentials.get("username", ""))[:150],
            address=client_address(request),
        )
