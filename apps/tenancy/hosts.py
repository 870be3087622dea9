"""Host → hospital, remembered per process so a request does not ask the platform
database which hospital it is for.

An entry lives ``HMS_HOST_CACHE_SECONDS`` at most (default 5): that bounds how long
another process may serve a renamed, reconfigured or failed hospital as it was. In this
process a change takes effect at once: every save, delete and queryset update of a
Hospital empties the cache (signals and HospitalQuerySet.update), and for a second after
it nothing is stored (a request could read the row before the change commits). Entries
are copies, so a request that changes its hospital object never changes another
request's.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

#: a process never holds more hosts than this (unknown ones included); beyond, it starts over
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_entries: dict[str, tuple[float, Hospital | None]] = {}
#: bumped by every change, so a lookup that raced with one does not store its stale row
_generation = 0
#: nothing is cached before this (monotonic) time: the change may not have committed yet
_quiet_until = 0.0
#: seconds after a change during which lookups are not cached
QUIET_SECONDS = 1.0


def ttl() -> float:
    return float(getattr(settings, "HMS_HOST_CACHE_SECONDS", 5))


def hospital_cached(subdomain: str, load: Callable[[str], Hospital | None]) -> Hospital | None:
    """The hospital at ``subdomain`` (None for none), from the cache or from ``load``."""
    now = time.monotonic()
    entry = _entries.get(subdomain)
    if entry is not None and entry[0] > now:
        return copy.deepcopy(entry[1])
    generation = _generation
    hospital = load(subdomain)
    with _lock:
        if generation == _generation and now >= _quiet_until:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[subdomain] = (now + ttl(), copy.deepcopy(hospital))
    return hospital


def hospitals_changed(**_: Any) -> None:
    """Forget every host, and store none for QUIET_SECONDS (until the change commits)."""
    global _generation, _quiet_until
    with _lock:
        _generation += 1
        _quiet_until = time.monotonic() + QUIET_SECONDS
        _entries.clear()


def hospital_by_host(host: str, base_domain: str) -> tuple[bool, Hospital | None]:
    """Resolve a Host header: (is_platform_host, hospital or None)."""
    hostname = host.split(":", 1)[0].lower().rstrip(".")
    if hostname in {base_domain, "127.0.0.1", "testserver"}:
        return True, None
    suffix = f".{base_domain}"
    if not hostname.endswith(suffix):
        return False, None
    subdomain = hostname[: -len(suffix)]
    return False, hospital_cached(subdomain, _hospital_at)


def _hospital_at(subdomain: str) -> Hospital | None:
    # By the app registry: models.py imports this module (the cache's invalidation)
    hospital_model: type[Hospital] = apps.get_model("tenancy", "Hospital")
    return hospital_model.objects.filter(subdomain=subdomain).first()
