"""Is the platform healthy? The database, the storages of hospital databases, the broker
(Redis), a worker's last heartbeat and the beat's last run — for ``/healthz`` (load
balancers, monitoring) and the admin's banner when no worker has been seen for
HMS_WORKER_SILENT_SECONDS.

A worker's heartbeat is written each time a worker runs the job maintenance task, which
the beat sends every HMS_JOB_MAINTENANCE_SECONDS; the beat's, each time it sends a
periodic task (``worker.beat.RecordingScheduler``).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.tenancy.models import ServiceHeartbeat
from apps.tenancy.storage import storages

logger = logging.getLogger(__name__)

WORKER = "worker"
BEAT = "beat"
#: the database name asked about to see whether a storage answers (never created)
PROBE = "hospital_healthz_probe"


def heartbeat_record(name: str, detail: str = "") -> None:
    ServiceHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now(), "detail": detail[:200]}
    )


def last_seen(name: str) -> datetime | None:
    return ServiceHeartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()


def worker_silence(*, now: datetime | None = None) -> float | None:
    """Seconds since a worker was last seen when that is more than
    HMS_WORKER_SILENT_SECONDS (or float("inf") when never); None when one was seen
    recently."""
    seen = last_seen(WORKER)
    if seen is None:
        return float("inf")
    silent = ((now or timezone.now()) - seen).total_seconds()
    return silent if silent > settings.HMS_WORKER_SILENT_SECONDS else None


def _age(name: str, now: datetime) -> dict[str, Any]:
    seen = last_seen(name)
    if seen is None:
        return {"ok": False, "last_seen": None, "seconds_ago": None, "detail": "never seen"}
    age = round((now - seen).total_seconds(), 1)
    return {
        "ok": age <= settings.HMS_WORKER_SILENT_SECONDS,
        "last_seen": seen.isoformat(),
        "seconds_ago": age,
    }


def _storage_check() -> dict[str, Any]:
    """Does every place hospital databases live answer (a PostgreSQL server that is
    down leaves its hospitals unable to work, the rest of the site serving)?"""
    failed: dict[str, str] = {}
    try:
        configured = storages()
    except Exception as exc:  # a broken HMS_TENANT_SERVERS
        return {"ok": False, "detail": str(exc)}
    for storage in configured:
        try:
            storage.exists(PROBE)
        except Exception as exc:
            logger.warning("storage %s does not answer: %s", storage.key or "local", exc)
            failed[storage.key or "local"] = str(exc)[:200]
    if failed:
        return {"ok": False, "detail": "; ".join(f"{k}: {v}" for k, v in failed.items())}
    return {"ok": True, "servers": [storage.key or "local" for storage in configured]}


def health_check() -> dict[str, Any]:
    """Every check, and the overall status: ok, degraded (the site serves but background
    work is stuck) or failing (the platform database does not answer)."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "detail": str(exc)}
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        client.ping()
        client.close()
        checks["redis"] = {"ok": True}
    except redis.RedisError as exc:
        checks["redis"] = {"ok": False, "detail": str(exc)}
    checks["storage"] = _storage_check()
    if checks["database"]["ok"]:
        now = timezone.now()
        checks["worker"] = _age(WORKER, now)
        checks["beat"] = _age(BEAT, now)
    else:
        for name in (WORKER, BEAT):
            checks[name] = {"ok": False, "detail": "unknown: the database does not answer"}
    if not checks["database"]["ok"]:
        status = "failing"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {"status": status, "checks": checks}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while the site can serve (``status`` says whether background work is fine
    too); 503 when it cannot — or, with ``?strict``, when anything is not ok."""
    report = health_check()
    failing = report["status"] == "failing" or (
        "strict" in request.GET and report["status"] != "ok"
    )
    return HttpResponse(
        json.dumps(report, indent=2),
        status=503 if failing else 200,
        content_type="application/json",
    )
