"""The current hospital, held in a ContextVar.

Works the same in a request (set by HospitalMiddleware), a Celery task (set by the task
base class), a management command and a test. ``tenant_context`` restores whatever was
selected before on exit, so contexts nest.

The hospital's clock comes with it: inside the block Django's current time zone is the
hospital's (``Hospital.zone``), so every time is shown, typed and printed in the
hospital's time and ``timezone.localdate()`` — "today" — is the hospital's day, in a
request, a Celery task and a command alike; nothing outside tenancy activates a zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


@dataclass(frozen=True)
class TenantBinding:
    hospital: Hospital
    alias: str


_current: ContextVar[TenantBinding | None] = ContextVar("hms_current_hospital", default=None)


@contextmanager
def tenant_context(hospital: Hospital, *, alias: str | None = None) -> Iterator[Hospital]:
    """Select ``hospital`` for every tenant query inside the block.

    ``alias`` points the hospital's models at another registered database; the
    provisioning pipeline uses it to work on a database under a temporary name.
    """
    from apps.tenancy.connections import alias_enter, alias_exit, hospital_alias

    binding = TenantBinding(hospital=hospital, alias=alias or hospital_alias(hospital))
    alias_enter(binding.alias)
    if alias is None:
        hospital_alias(hospital)  # again, now that it is in use: evicted meanwhile, it is back
    token = _current.set(binding)
    try:
        with timezone.override(hospital.zone):
            yield hospital
    finally:
        _current.reset(token)
        alias_exit(binding.alias)


def current_binding() -> TenantBinding | None:
    return _current.get()


def current_hospital() -> Hospital | None:
    binding = _current.get()
    return binding.hospital if binding else None
