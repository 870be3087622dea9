"""Measurements behind ``manage.py benchmark provisioning``.

Everything is measured side by side in one run (interleaved, medians), because these
machines are noisy: compare the figures, don't trust one absolute number. It runs in a
scratch data directory with its own Redis and Celery workers (hms.devstack), never
against the real platform.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from apps.tenancy.connections import forget_database, hospital_alias
from apps.tenancy.jobs.services import fleet_migrate
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.migrations_state import inspect_database, tenant_migration_names
from apps.tenancy.provisioning.pipeline import hospital_provision
from apps.tenancy.provisioning.steps import ProgressEvent
from apps.tenancy.registry import tenant_app_configs
from apps.tenancy.selectors import hospitals_needing_migration
from apps.tenancy.services import hospital_create

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


ROW_STEP = "Save the hospital row"


@dataclass(frozen=True)
class ReadyTiming:
    """Seconds to one ready hospital, in all and per pipeline step (by step label)."""

    total: float
    steps: dict[str, float]


@dataclass(frozen=True)
class PathTimings:
    slow: list[ReadyTiming]
    clone: list[ReadyTiming]

    @property
    def slow_median(self) -> float:
        return statistics.median(t.total for t in self.slow)

    @property
    def clone_median(self) -> float:
        return statistics.median(t.total for t in self.clone)

    @property
    def ratio(self) -> float:
        return self.slow_median / self.clone_median

    def step_medians(self) -> list[tuple[str, float, float]]:
        """(step, slow median, clone median) in pipeline order, to show where the time
        goes on each path."""
        labels = list(dict.fromkeys(label for t in self.slow for label in t.steps))
        return [
            (
                label,
                statistics.median(t.steps.get(label, 0.0) for t in self.slow),
                statistics.median(t.steps.get(label, 0.0) for t in self.clone),
            )
            for label in labels
        ]


def time_to_ready_hospital(*, use_template: bool) -> tuple[ReadyTiming, Hospital]:
    """Seconds from the request (row validated and saved) to a ready hospital."""
    tag = uuid.uuid4().hex[:8]
    steps: dict[str, float] = {}

    def record(event: ProgressEvent) -> None:
        if event.kind == "finished" and event.duration is not None:
            steps[event.step.label] = event.duration

    started = time.perf_counter()
    hospital = hospital_create(name=f"Benchmark Hospital {tag}", subdomain=f"bench-{tag}")
    steps[ROW_STEP] = time.perf_counter() - started
    hospital_provision(hospital, use_template=use_template, report=record)
    return ReadyTiming(total=time.perf_counter() - started, steps=steps), hospital


def compare_provisioning_paths(*, runs: int, progress: Progress = _quiet) -> PathTimings:
    """Median time to a ready hospital on the slow path (every migration from scratch)
    and on the clone path (template copy), runs interleaved so both see the same noise."""
    time_to_ready_hospital(use_template=True)  # builds the template; not counted
    slow: list[ReadyTiming] = []
    clone: list[ReadyTiming] = []
    for run in range(1, runs + 1):
        slow.append(time_to_ready_hospital(use_template=False)[0])
        clone.append(time_to_ready_hospital(use_template=True)[0])
        progress(
            f"  run {run}/{runs}: slow {slow[-1].total * 1e3:.1f} ms, "
            f"clone {clone[-1].total * 1e3:.1f} ms"
        )
    return PathTimings(slow=slow, clone=clone)


def hospitals_ensure(count: int) -> list[Hospital]:
    """At least ``count`` ready hospitals (new ones by the clone path)."""
    missing = count - Hospital.objects.filter(status=Hospital.Status.READY).count()
    for _ in range(max(0, missing)):
        time_to_ready_hospital(use_template=True)
    return list(Hospital.objects.filter(status=Hospital.Status.READY).order_by("code")[:count])


def _rollback_target() -> tuple[str, str | None]:
    """A leaf tenant migration's parent: rolling back to it leaves one migration to apply."""
    labels = {config.label for config in tenant_app_configs()}
    leaf = sorted(n for n in tenant_migration_names() if n[0] in labels)[-1]
    earlier = sorted(n for n in tenant_migration_names() if n[0] == leaf[0] and n < leaf)
    return (leaf[0], earlier[-1][1] if earlier else None)


def hospitals_put_behind(hospitals: list[Hospital]) -> str:
    """Unapply each hospital's latest migration of one app (set-up, not measured)."""
    target = _rollback_target()
    for hospital in hospitals:
        alias = hospital_alias(hospital)
        MigrationExecutor(connections[alias]).migrate([target])
        forget_database(alias)
    Hospital.objects.filter(pk__in=[h.pk for h in hospitals]).update(migration_state="")
    return f"{target[0]} rolled back to {target[1] or 'zero'}"


def time_fleet_migrate(hospitals: list[Hospital], *, timeout: float = 600) -> tuple[float, dict]:
    """Seconds from asking for a fleet migrate to every job finished, and the outcome."""
    current = list(Hospital.objects.filter(pk__in=[h.pk for h in hospitals]))
    started = time.perf_counter()
    batch = fleet_migrate(hospitals=current)
    jobs = ProvisioningJob.objects.filter(batch=batch.batch)
    while jobs.filter(status__in=ProvisioningJob.ACTIVE_STATUSES).exists():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the fleet migrate did not finish; is the worker running?")
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    outcome = {status: jobs.filter(status=status).count() for status in ("succeeded", "failed")}
    return elapsed, outcome


@dataclass(frozen=True)
class CheckTimings:
    hospitals: int
    by_recorded_state: float
    by_executor: float
    behind_by_state: int
    behind_by_executor: int


def compare_up_to_date_checks(hospitals: list[Hospital]) -> CheckTimings:
    """Telling which hospitals need migrating: by the recorded migration-state hash (one
    query) against asking each database through Django's migration executor."""
    started = time.perf_counter()
    behind_by_state = hospitals_needing_migration(
        Hospital.objects.filter(pk__in=[h.pk for h in hospitals])
    ).count()
    by_state = time.perf_counter() - started

    started = time.perf_counter()
    behind_by_executor = 0
    for hospital in hospitals:
        alias = hospital_alias(hospital)
        behind_by_executor += bool(inspect_database(alias).unapplied)
        forget_database(alias)
    by_executor = time.perf_counter() - started
    return CheckTimings(len(hospitals), by_state, by_executor, behind_by_state, behind_by_executor)


def time_fleet_migrate_of_up_to_date(hospitals: list[Hospital]) -> float:
    """Seconds for a fleet migrate of hospitals that are all up to date (nothing queued)."""
    current = list(Hospital.objects.filter(pk__in=[h.pk for h in hospitals]))
    started = time.perf_counter()
    batch = fleet_migrate(hospitals=current)
    elapsed = time.perf_counter() - started
    if any(job.status != ProvisioningJob.Status.SUCCEEDED for job in batch.jobs):
        raise AssertionError("an up-to-date hospital was queued for migrating")
    return elapsed
