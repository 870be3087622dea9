"""Schema drift: a hospital database whose tables, columns, indexes or constraints are
not what its recorded migrations produce — a column dropped by hand, an index lost, a
table left over. Recorded migrations alone cannot see it (the original system's "no
such column … hospital_id" behind a hospital marked healthy).

The reference is the template database of the current migration state (built by the
same migrations, verified): a hospital whose migrations are all recorded must have the
same schema. Each database's description comes from its storage (``schema``), which
reads the engine's own catalogue, so cosmetic differences in the stored SQL do not
count; only a storage that ``compares_schema`` (SQLite) can.

The repair keeps the data: a copy of the template (the right schema) is emptied and
filled with every row of the hospital's database — column by column where both have
the column (``refill``) — checked (foreign keys, no drift, the same row counts), and
moved into place; the old database is backed up first and kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_noop

from apps.tenancy.connections import (
    alias_for_code,
    forget_database,
    register_database,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.backups import backup_path, database_copy, display_path
from apps.tenancy.provisioning.migrations_state import (
    apply_tenant_migrations,
    tenant_migration_state,
)
from apps.tenancy.provisioning.pipeline import (
    BACKUP_STEP,
    mark_by_database_in_place,
    seed_reference_data,
    template_name,
    template_save,
    verify_alias,
    working_name,
)
from apps.tenancy.provisioning.steps import Reporter, Step, StepRunner, silent
from apps.tenancy.registry import is_tenant_app
from apps.tenancy.status import hospital_mark_ready
from apps.tenancy.storage import (
    WORK_PREFIX,
    Refilled,
    RowsRefused,
    Schema,
    TenantStorage,
    checked_name,
    database_name,
    storage_for,
)

#: what a hospital whose database is not SQLite is told
SQLITE_ONLY = "schema repair is available for SQLite hospitals only"


def schema_differences(live: Schema, reference: Schema) -> list[str]:
    """What differs, one line each (empty when the schemas match)."""
    found: list[str] = []
    for table in sorted(reference.keys() - live.keys()):
        found.append(f"table {table} is missing")
    for table in sorted(live.keys() - reference.keys()):
        found.append(f"table {table} is not in the schema")
    for table in sorted(reference.keys() & live.keys()):
        want, have = reference[table], live[table]
        for column in sorted(want.column_names - have.column_names):
            found.append(f"column {table}.{column} is missing")
        for column in sorted(have.column_names - want.column_names):
            found.append(f"column {table}.{column} is not in the schema")
        common = want.column_names & have.column_names
        wanted = {c[0]: c for c in want.columns if c[0] in common}
        for column in sorted(c[0] for c in have.columns if c[0] in common and c != wanted[c[0]]):
            found.append(f"column {table}.{column} has a different type or constraint")
        for index in sorted(want.indexes - have.indexes, key=str):
            found.append(f"index {index[0]} on {table} is missing or different")
        for index in sorted(have.indexes - want.indexes, key=str):
            if index[0] not in {i[0] for i in want.indexes} or index[0] == "(automatic)":
                found.append(f"index {index[0]} on {table} is not in the schema")
        if want.foreign_keys != have.foreign_keys:
            found.append(f"foreign keys of {table} differ")
        for name, kind, body in sorted(want.constraints - have.constraints):
            label = name or body
            found.append(f"{kind.lower()} constraint {label} on {table} is missing or different")
        for name, kind, body in sorted(have.constraints - want.constraints):
            if not name or name not in {c[0] for c in want.constraints}:
                label = name or body
                found.append(f"{kind.lower()} constraint {label} on {table} is not in the schema")
    return found


def schema_comparable(storage: TenantStorage) -> bool:
    """Whether drift detection and repair work on ``storage``'s databases (they need
    the storage to describe a schema: SQLite only)."""
    return storage.compares_schema


def _comparable(storage: TenantStorage, step: str = "Compare the schema") -> None:
    if not storage.compares_schema:
        raise ProvisioningError(SQLITE_ONLY, step=step)


def schema_drift(storage: TenantStorage, live: str, reference: str) -> list[str]:
    """How database ``live`` differs from the reference (template) database."""
    _comparable(storage)
    return schema_differences(storage.schema(live), storage.schema(reference))


# -- repair -----------------------------------------------------------------------------


def _fill_value(table: str, column: str) -> tuple[bool, Any]:
    """What to put in ``table.column`` for rows that had no such column: NULL where the
    field allows it, its constant default, or the empty value of its type. (False, None)
    when there is nothing sensible (say a required foreign key)."""
    for model in apps.get_models():
        if model._meta.db_table != table or not is_tenant_app(model._meta.app_label):
            continue
        for field in model._meta.concrete_fields:
            if field.column != column:
                continue
            if field.null:
                return True, None
            if field.has_default() and not callable(field.default):
                return True, field.get_prep_value(field.get_default())
            if isinstance(field, models.BooleanField | models.IntegerField | models.FloatField):
                return True, 0
            if isinstance(field, models.DecimalField):
                return True, "0"
            if isinstance(field, models.CharField | models.TextField) and not field.unique:
                return True, ""
            if isinstance(field, models.JSONField):
                return True, "[]" if field.default is list else "{}"
            return False, None
    return False, None


def _fill(table: str, column: str) -> Any:
    """``_fill_value`` for a refill: a column that has nothing sensible stops the repair."""
    fillable, value = _fill_value(table, column)
    if not fillable:
        raise ProvisioningError(
            f"column {table}.{column} is missing and has no value to fill in; "
            "restore the hospital from a backup instead",
            step="Copy the data",
        )
    return value


# -- schema drift repair ---------------------------------------------------------------

REPAIR_STEPS = (
    BACKUP_STEP,
    Step("copy", gettext_noop("Copy the data into the right schema"), 60),
    Step("verify", gettext_noop("Verify database"), 20),
    Step("finalize", gettext_noop("Move into place and mark ready"), 10),
)


def template_ensure(hospital: Hospital) -> str:
    """The template database of the current state on ``hospital``'s storage — built now
    (every migration, the reference data, verified) if no hospital has been built on the
    slow path yet."""
    storage = storage_for(hospital)
    template = template_name()
    if storage.exists(template):
        return template
    # "work_0…": a hospital code starts with a letter, so no hospital's clean-up of its
    # own working databases (work_<code>_…) can take a template being built
    work = checked_name(f"{WORK_PREFIX}0template_{uuid.uuid4().hex[:12]}")
    alias = f"template_build_{uuid.uuid4().hex[:8]}"
    try:
        storage.create_empty(work)
        register_database(alias, storage, work)
        apply_tenant_migrations(alias)
        with tenant_context(hospital, alias=alias):
            seed_reference_data(update_existing=True)
        verify_alias(alias)
        forget_database(alias)
        return template_save(storage, work)
    finally:
        forget_database(alias)
        storage.drop(work)


def hospital_repair_schema(
    hospital: Hospital,
    *,
    report: Reporter = silent,
    backup_to: Path | None = None,
    before_replace: Callable[[str], None] | None = None,
) -> str:
    """Give ``hospital``'s database the schema its migrations produce, keeping its data
    (see apps.tenancy.provisioning.schema): backed up first (kept), every row copied into a copy of
    the template, checked, moved into place. Until the move the database is untouched;
    the caller keeps the hospital offline meanwhile (a job of an offline kind). Returns
    a one-line summary naming what could not be kept (it is in the backup).

    SQLite only: on another storage it refuses at once, before touching anything."""
    runner = StepRunner(REPAIR_STEPS, report)
    storage = storage_for(hospital)
    _comparable(storage, step=BACKUP_STEP.label)
    final_name = database_name(hospital)
    work_name = working_name(hospital)
    work_alias = f"repairing_{hospital.code.lower()}"
    try:
        with runner.step("backup") as step:
            if not storage.exists(final_name):
                raise ProvisioningError(
                    f"{storage.describe(final_name)} does not exist", step=step.step.label
                )
            forget_database(alias_for_code(hospital.code))
            backup = database_copy(hospital, backup_to or backup_path(hospital, "repair"))
            step.summary = f"copied to {display_path(backup)}"
        with runner.step("copy") as step:
            template = template_ensure(hospital)
            storage.clone(template, work_name)
            try:
                refilled = storage.refill(work_name, backup, _fill)
            except RowsRefused as exc:
                raise ProvisioningError(
                    f"{exc}; correct them or restore a backup", step=step.step.label
                ) from exc
            step.summary = "every row copied"
        with runner.step("verify") as step:
            remaining = schema_drift(storage, work_name, template)
            if remaining:
                raise ProvisioningError(
                    f"the repaired schema still differs: {'; '.join(remaining[:3])}",
                    step=step.step.label,
                )
            _same_row_counts(refilled, storage.row_counts(work_name), step.step.label)
            register_database(work_alias, storage, work_name)
            step.summary = verify_alias(work_alias)
            forget_database(work_alias)
        with runner.step("finalize") as step:
            forget_database(alias_for_code(hospital.code))
            if before_replace is not None:
                before_replace(storage.identity(work_name))
            storage.move(work_name, final_name, replace=True)
            hospital_mark_ready(
                hospital=hospital, schema_drift="", migration_state=tenant_migration_state()
            )
            step.summary = f"{storage.describe(final_name)} in place; {hospital.name} is ready"
    except Exception:
        forget_database(work_alias)
        storage.drop(work_name)
        mark_by_database_in_place(hospital)  # untouched (or moved): in use again if sound
        raise
    dropped = [
        *(f"table {t}" for t in refilled.tables_left_behind),
        *(f"column {c}" for c in refilled.columns_left_behind),
    ]
    kept = f"; not in the schema, so only in the backup: {', '.join(dropped)}" if dropped else ""
    return (
        f"{hospital.name}'s schema repaired, every row kept{kept} (backup: {display_path(backup)})"
    )


def _same_row_counts(refilled: Refilled, counts: dict[str, int], step: str) -> None:
    """Every table copied holds as many rows as it had in the hospital's database."""
    for table, had in sorted(refilled.copied_rows.items()):
        has = counts.get(table, 0)
        if had != has:
            raise ProvisioningError(f"{table} had {had} rows, now {has}", step=step)
