"""What the tenant apps' migrations are, and where a hospital database stands."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.recorder import MigrationRecorder

from apps.core.modules import seeders
from apps.tenancy.registry import tenant_app_configs


def _tenant_migration_files() -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for config in sorted(tenant_app_configs(), key=lambda c: c.label):
        package = import_module(f"{config.name}.migrations")
        directory = Path(package.__file__ or "").parent
        files.extend((config.label, path) for path in sorted(directory.glob("[0-9]*.py")))
    return files


@cache
def tenant_migration_state() -> str:
    """A hash of every tenant app's migration files (names and contents).

    It is recorded on each hospital after a migrate, so an up-to-date hospital is
    recognised by comparing two strings, without loading the migration executor.
    Computed once per process: migrations change with a deploy.
    """
    digest = hashlib.sha256()
    for label, path in _tenant_migration_files():
        digest.update(f"{label}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def tenant_migration_names() -> frozenset[tuple[str, str]]:
    """(app label, migration name) of every tenant migration on disk."""
    return frozenset((label, path.stem) for label, path in _tenant_migration_files())


@cache
def template_state() -> str:
    """The key of the template database: the migration state plus the canonical
    reference data it was seeded with, so a change to either builds a new template and
    a clone needs neither migrations nor seeding."""
    digest = hashlib.sha256(tenant_migration_state().encode())
    for seeder in sorted(seeders(), key=lambda s: s.label):
        for path in seeder.files:
            digest.update(f"{seeder.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def recorded_migrations(
    alias: str, *, table_names: frozenset[str] | None = None
) -> frozenset[tuple[str, str]]:
    """Migrations recorded as applied in ``alias`` (one query, no migration loader).
    ``table_names``, when the caller has listed them already, saves listing them again."""
    recorder = MigrationRecorder(connections[alias])
    if table_names is None:
        has_table = recorder.has_table()
    else:
        has_table = recorder.Migration._meta.db_table in table_names
    if not has_table:
        return frozenset()
    return frozenset(recorder.migration_qs.values_list("app", "name"))


@dataclass(frozen=True)
class DatabaseInspection:
    table_names: frozenset[str]
    unapplied: tuple[str, ...]

    @property
    def table_count(self) -> int:
        return len(self.table_names)


def _tenant_targets(loader: MigrationLoader) -> list[tuple[str, str]]:
    labels = {c.label for c in tenant_app_configs()}
    return [node for node in loader.graph.leaf_nodes() if node[0] in labels]


def inspect_database(alias: str) -> DatabaseInspection:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(_tenant_targets(executor.loader))
    return DatabaseInspection(
        table_names=frozenset(connection.introspection.table_names()),
        unapplied=tuple(f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards),
    )


MigrationProgress = Callable[[int, int, str], None]


def apply_tenant_migrations(alias: str, on_migration: MigrationProgress | None = None) -> int:
    """Apply every pending tenant migration to ``alias``; report each as it starts with
    ``on_migration(index, total, "app.name")``. Returns how many were applied."""
    connection = connections[alias]
    started = 0
    total = 0

    def callback(
        action: str, migration: Migration | None = None, fake: bool | None = False
    ) -> None:
        nonlocal started
        if action == "apply_start" and on_migration is not None:
            assert migration is not None  # Django passes the migration with "apply_start"
            started += 1
            on_migration(started, total, f"{migration.app_label}.{migration.name}")

    executor = MigrationExecutor(connection, progress_callback=callback)
    executor.loader.check_consistent_history(connection)
    targets = _tenant_targets(executor.loader)
    plan = executor.migration_plan(targets)
    total = len(plan)
    if plan:
        executor.migrate(targets, plan=plan)
    return total
