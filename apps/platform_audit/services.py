"""Recording platform events. Other modules call ``platform_event_record``; it is the
only writer of PlatformEvent."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.origin import current_origin

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

Kind = PlatformEvent.Kind


def platform_event_record(
    *,
    kind: str,
    summary: str = "",
    hospital: Hospital | None = None,
    actor: User | None = None,
    actor_username: str = "",
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> PlatformEvent:
    """Append one event to the platform's audit log (platform database).

    ``actor`` and ``address`` default to the signed-in user and the client address of
    the current request (none in a worker or a command: the command line is then the
    actor). ``actor_username`` names someone without an account (a failed sign-in).
    Runs in the caller's transaction, so an event and the change it records are
    committed together.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown platform event kind {kind!r}")
    origin = current_origin()
    if actor is None and origin is not None:
        actor = origin.user
    if address is None:
        address = origin.address if origin is not None else ""
    event = PlatformEvent(
        kind=kind,
        summary=summary[:300],
        actor_id=actor.pk if actor is not None else None,
        actor_username=(actor.get_username() if actor is not None else actor_username)[:150],
        address=address[:64],
        hospital_id=hospital.pk if hospital is not None else None,
        hospital_code=hospital.code if hospital is not None else "",
        hospital_name=hospital.name if hospital is not None else "",
        detail=detail or {},
    )
    event.save()
    logger.info("platform event %s %s by %s", kind, event.hospital_code, event.actor_username)
    return event
