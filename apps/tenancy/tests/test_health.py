"""/healthz and the admin's banner when no worker has been seen for a minute."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.tenancy.jobs import health
from apps.tenancy.models import ServiceHeartbeat

pytestmark = pytest.mark.django_db


def seen(name: str, seconds_ago: float) -> None:
    ServiceHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


@pytest.fixture
def redis_up(monkeypatch: Any) -> None:
    monkeypatch.setattr(health.redis.Redis, "ping", lambda self: True)


def get_health(client: Client, *query: str) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz" + ("?" + "&".join(query) if query else ""))
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_all_well_is_ok(client: Client, redis_up: None, settings: Any) -> None:
    settings.HMS_TENANT_SERVERS = []  # the local directory (servers: below)
    seen(health.WORKER, 3)
    seen(health.BEAT, 2)
    status, report = get_health(client)
    assert status == 200 and report["status"] == "ok"
    assert report["checks"]["worker"]["seconds_ago"] == pytest.approx(3, abs=2)
    assert {name for name, check in report["checks"].items() if check["ok"]} == {
        "database", "storage", "redis", "worker", "beat",
    }  # fmt: skip
    assert report["checks"]["storage"]["servers"] == ["local"]


def test_a_database_server_that_does_not_answer_is_degraded_and_named(
    client: Client, redis_up: None, monkeypatch: Any, settings: Any
) -> None:
    from apps.tenancy.storage.sqlite import SqliteStorage

    settings.HMS_TENANT_SERVERS = []

    def down(self: SqliteStorage, name: str) -> bool:
        raise OSError("connection refused")

    monkeypatch.setattr(SqliteStorage, "exists", down)
    seen(health.WORKER, 3)
    seen(health.BEAT, 2)
    status, report = get_health(client)
    assert status == 200 and report["status"] == "degraded"
    assert report["checks"]["storage"] == {"ok": False, "detail": "local: connection refused"}


def test_a_silent_worker_is_degraded_but_the_site_still_serves(
    client: Client, redis_up: None
) -> None:
    seen(health.WORKER, 300)
    seen(health.BEAT, 2)
    status, report = get_health(client)
    assert status == 200 and report["status"] == "degraded"
    assert report["checks"]["worker"]["ok"] is False
    assert get_health(client, "strict")[0] == 503


def test_redis_down_and_no_worker_ever_are_reported(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    status, report = get_health(client)
    assert status == 200 and report["status"] == "degraded"
    assert report["checks"]["redis"]["ok"] is False
    assert report["checks"]["worker"] == {
        "ok": False, "last_seen": None, "seconds_ago": None, "detail": "never seen",
    }  # fmt: skip


def test_the_maintenance_task_records_a_workers_heartbeat(db: None) -> None:
    from apps.tenancy.tasks import maintain_jobs

    maintain_jobs.apply()
    assert health.worker_silence() is None


def test_the_hospital_list_shows_a_banner_when_no_worker_was_seen_for_a_minute(
    platform_client: Client,
) -> None:
    url = "/admin/tenancy/hospital/"
    assert "No worker has been seen yet" in platform_client.get(url).content.decode()
    seen(health.WORKER, 90)
    assert "No worker has been seen for 90 s" in platform_client.get(url).content.decode()
    seen(health.WORKER, 5)
    assert 'data-testid="no-worker-banner"' not in platform_client.get(url).content.decode()
