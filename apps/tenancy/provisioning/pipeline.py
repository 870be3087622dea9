"""The provisioning pipeline: a hospital database created, migrated, seeded and put in
place, each step timed and reported.

The same functions run inline from a management command and inside a Celery job; the
caller passes a reporter. A failure at any step removes the temporary database and
never marks the hospital ready.

Fast path: the first hospital built for a given tenant migration state leaves a copy of
its freshly migrated and seeded database as a template (``template_<state>`` on the
hospital's storage, verified; on SQLite with its SHA-256 beside it); later hospitals
clone it instead of running every migration, and the clone is verified by comparing its
bytes with the template's where the storage can (else by opening it).

Every database is reached through the hospital's storage (``apps.tenancy.storage``): a
database is built under a working name (``work_<code>_<hex>``) and moved into place.

Recreate is the same pipeline behind a backup of the old database, which the finished
database then replaces; migrate takes a copy first and writes it back if it fails.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.utils.translation import gettext_noop

from apps.core.modules import seeders
from apps.tenancy.connections import (
    alias_for_code,
    forget_database,
    hospital_alias,
    register_database,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.hooks import AdminOutcome, PasswordHash, hospital_admin_provider
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.backups import (
    backup_path,
    database_copy,
    database_restore,
    display_path,
    remove_partial_backups,
)
from apps.tenancy.provisioning.failpoints import failpoint
from apps.tenancy.provisioning.migrations_state import (
    apply_tenant_migrations,
    inspect_database,
    recorded_migrations,
    template_state,
    tenant_migration_names,
    tenant_migration_state,
)
from apps.tenancy.provisioning.steps import Reporter, Step, StepHandle, StepRunner, silent
from apps.tenancy.registry import is_tenant_app
from apps.tenancy.status import hospital_mark_failed, hospital_mark_ready
from apps.tenancy.storage import (
    TEMPLATE_PREFIX,
    WORK_PREFIX,
    TenantStorage,
    checked_name,
    database_name,
    storage_for,
)

logger = logging.getLogger(__name__)

CREATE_STEPS = (
    Step("create", gettext_noop("Create database"), 5),
    Step("migrate", gettext_noop("Apply migrations"), 55),
    Step("seed", gettext_noop("Seed reference data"), 15),
    Step("admin", gettext_noop("Create hospital administrator"), 10),
    Step("verify", gettext_noop("Verify database"), 10),
    Step("finalize", gettext_noop("Move into place and mark ready"), 5),
)


BACKUP_STEP = Step("backup", gettext_noop("Back up the current database"), 10)


@dataclass(frozen=True)
class ProvisionResult:
    hospital: Hospital
    admin_username: str
    #: shown once to whoever asked; None when the admin's own password was given
    temporary_password: str | None
    fast_path: bool
    #: whether this run gave the administrator a password (a kept admin gets none)
    admin_password_applied: bool = True
    #: where the database that was replaced went (recreate only)
    backup_path: Path | None = None

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"ProvisionResult(hospital={self.hospital.code!r}, fast_path={self.fast_path})"


# -- names on the storage -----------------------------------------------------------


def template_name() -> str:
    """The template database of the current state (see migrations_state.template_state)."""
    return checked_name(f"{TEMPLATE_PREFIX}{template_state()[:24]}")


def working_name(hospital: Hospital) -> str:
    """A new name to build ``hospital``'s database under before it is moved into place."""
    return checked_name(f"{WORK_PREFIX}{hospital.code.lower()}_{uuid.uuid4().hex[:12]}")


def template_save(storage: TenantStorage, verified: str) -> str:
    """Keep a copy of a verified, closed database as the template for the current state
    (a storage that can tells a clone of it by its bytes, see verify_clone)."""
    template = template_name()
    storage.save_template(verified, template)
    return template


def remove_stale_working_files(
    hospital: Hospital, *, older_than: float | None = None, own_older_than: float | None = None
) -> int:
    """Remove what a crashed run for ``hospital`` left behind: its working databases, a
    backup copy cut short and any template copy cut short (whichever hospital's build
    wrote it). With ``older_than`` (a timestamp), only what was last written before it,
    so a run that has just started keeps its own. ``own_older_than`` (default
    ``older_than``) is the same bound for the hospital's own backup copies: the reaper
    gives the moment it took the dead run's job over, since no other run of this
    hospital can be writing one then (a template copy may be any hospital's, so it
    keeps the heartbeat's bound). Returns how many were removed."""
    storage = storage_for(hospital)
    prefix = f"{WORK_PREFIX}{hospital.code.lower()}_"
    removed = storage.remove_leftovers(prefix, older_than=older_than)
    own_bound = older_than if own_older_than is None else own_older_than
    return removed + remove_partial_backups(hospital.code, older_than=own_bound)


# -- steps ---------------------------------------------------------------------------


def _migrate_with_progress(alias: str, handle: StepHandle) -> int:
    def on_migration(index: int, total: int, name: str) -> None:
        handle.progress((index - 1) / total, f"applying {name} — {index}/{total}")

    return apply_tenant_migrations(alias, on_migration)


def seed_reference_data(
    *, update_existing: bool, handle: StepHandle | None = None
) -> dict[str, int]:
    """Run every module's reference-data seeder in the selected hospital's database."""
    totals = {"created": 0, "updated": 0}
    found = seeders()
    for position, seeder in enumerate(found):
        if handle is not None:
            handle.progress(position / len(found), f"seeding {seeder.name}")
        result = seeder.seed(update_existing=update_existing)
        for key in totals:
            totals[key] += result.get(key, 0)
    return totals


def verify_alias(alias: str) -> str:
    """Check a hospital database is complete; returns a summary or raises.

    Compares the migrations recorded in the database with the tenant migration files
    and the tables with the tenant models — two queries, no migration loader, so it
    costs next to nothing on the clone path.
    """
    table_names = frozenset(connections[alias].introspection.table_names())
    if not table_names:
        raise ProvisioningError("the database has no tables", step="Verify database")
    unapplied = sorted(
        f"{app}.{name}"
        for app, name in tenant_migration_names()
        - recorded_migrations(alias, table_names=table_names)
    )
    if unapplied:
        raise ProvisioningError(
            f"{len(unapplied)} unapplied migrations: " + ", ".join(unapplied[:5]),
            step="Verify database",
        )
    missing = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if is_tenant_app(model._meta.app_label)
        and model._meta.managed
        and model._meta.db_table not in table_names
    )
    if missing:
        raise ProvisioningError(f"missing tables: {', '.join(missing)}", step="Verify database")
    leaked = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if not is_tenant_app(model._meta.app_label) and model._meta.db_table in table_names
    )
    if leaked:
        raise ProvisioningError(
            f"shared tables in a hospital database: {', '.join(leaked)}", step="Verify database"
        )
    return f"{len(table_names)} tables, no unapplied migrations"


def verify_clone(storage: TenantStorage, clone: str, template: str, alias: str) -> str:
    """Verify a database cloned from ``template``: when the storage can tell it is an
    exact copy of the template (verified before it was saved), that is enough;
    otherwise (no recorded digest, the bytes differ — say the template was replaced
    meanwhile — or a storage that cannot tell) it is opened under ``alias`` and verified
    like any database."""
    if storage.clone_is_exact(template, clone):
        return "identical to the verified template"
    register_database(alias, storage, clone)
    return verify_alias(alias)


def mark_by_database_in_place(hospital: Hospital) -> str | None:
    """After a build that failed or was cut short: Ready if the hospital's database in
    place is complete, else Error. Returns why it is not ready, or None.

    A failed recreate leaves the old database where it was, so the hospital keeps
    working on it instead of going offline until someone retries.
    """
    if not storage_for(hospital).exists(database_name(hospital)):
        hospital_mark_failed(hospital=hospital, unless_ready=True)
        return "no database in place"
    alias = hospital_alias(hospital)
    try:
        verify_alias(alias)
    except ProvisioningError as exc:
        hospital_mark_failed(hospital=hospital, unless_ready=True)
        return exc.message
    finally:
        forget_database(alias)
    hospital_mark_ready(hospital=hospital, migration_state=tenant_migration_state())
    return None


def hospital_provision(
    hospital: Hospital,
    *,
    report: Reporter = silent,
    admin_password: str | PasswordHash | None = None,
    keep_existing_admin: bool = False,
    use_template: bool = True,
) -> ProvisionResult:
    """Create ``hospital``'s database and mark it ready (see the module docstring).

    ``admin_password``: the administrator's own password, or a hash made by whoever
    asked (a job), or None for a temporary one returned once. ``keep_existing_admin``
    leaves an administrator who already exists untouched (a missing database re-made).
    """
    return _build(
        hospital,
        report=report,
        admin_password=admin_password,
        keep_existing_admin=keep_existing_admin,
        use_template=use_template,
        replace_into=None,
    )


def hospital_recreate(
    hospital: Hospital,
    *,
    report: Reporter = silent,
    backup_to: Path | None = None,
    admin_password: str | PasswordHash | None = None,
    before_replace: Callable[[str], None] | None = None,
) -> ProvisionResult:
    """Build ``hospital`` a fresh database and put it in place of the current one, which
    is first backed up to ``backup_to`` (default: a new file in the backups directory)
    and kept there. Until the last step the old database is untouched.

    ``before_replace`` is told the new database's storage identity just before it is
    moved into place (a job records it, so whoever cleans up after a killed worker can
    tell which database is in place)."""
    return _build(
        hospital,
        report=report,
        admin_password=admin_password,
        keep_existing_admin=True,
        use_template=True,
        replace_into=backup_to or backup_path(hospital, "recreate"),
        before_replace=before_replace,
    )


def _build(
    hospital: Hospital,
    *,
    report: Reporter,
    admin_password: str | PasswordHash | None,
    keep_existing_admin: bool,
    use_template: bool,
    replace_into: Path | None,
    before_replace: Callable[[str], None] | None = None,
) -> ProvisionResult:
    replacing = replace_into is not None
    runner = StepRunner((BACKUP_STEP, *CREATE_STEPS) if replacing else CREATE_STEPS, report)
    storage = storage_for(hospital)
    final_name = database_name(hospital)
    work_name = working_name(hospital)
    work_alias = f"provisioning_{hospital.code.lower()}"
    created_admin: AdminOutcome | None = None
    fast_path = False
    moved_into_place = False
    backup: Path | None = None
    try:
        if replace_into is not None:
            with runner.step("backup") as step:
                if storage.exists(final_name):
                    forget_database(alias_for_code(hospital.code))
                    backup = database_copy(hospital, replace_into)
                    step.summary = f"copied to {display_path(backup)}"
                else:
                    where = storage.describe(final_name)
                    step.summary = f"no database at {where}; nothing to back up"

        with runner.step("create") as step:
            if storage.exists(final_name) and not replacing:
                raise ProvisioningError(
                    f"a database already exists at {storage.describe(final_name)}",
                    step=step.step.label,
                )
            template = template_name()
            if use_template and storage.exists(template):
                storage.clone(template, work_name)
                fast_path = True
                step.summary = f"fast path: cloned template {template}"
            else:
                step.summary = "slow path: new empty database (no template for this state yet)"
                storage.create_empty(work_name)
                register_database(work_alias, storage, work_name)
                connections[work_alias].ensure_connection()

        # A template is keyed by the migration state and the reference data it holds
        # (template_state), so a clone needs neither; the verify step still checks it.
        with runner.step("migrate") as step:
            if fast_path:
                step.summary = "none to apply: the template is at the current migration state"
            else:
                applied = _migrate_with_progress(work_alias, step)
                step.summary = f"{applied} migrations applied"

        with runner.step("seed") as step, tenant_context(hospital, alias=work_alias):
            if fast_path:
                step.summary = "none to add: the template holds the current reference data"
            else:
                counts = seed_reference_data(update_existing=True, handle=step)
                step.summary = f"{counts['created']} rows created, {counts['updated']} updated"

        with runner.step("admin") as step:
            # accounts' own service, plugged in (apps.tenancy.hooks): tenancy imports no accounts
            admin = hospital_admin_provider().ensure_admin(
                hospital, admin_password, keep_existing=keep_existing_admin
            )
            created_admin = admin if admin.created else None
            kept = "" if admin.password_applied else " (kept as it was)"
            step.summary = f"administrator {admin.username}{kept}"

        with runner.step("verify") as step:
            failpoint("before-verify")  # half way: built under a temporary name, not ready
            if fast_path:
                step.summary = verify_clone(storage, work_name, template, work_alias)
            else:
                step.summary = verify_alias(work_alias)
        if not fast_path and use_template:
            # Checkpoint and close, then keep a copy of the verified database as the
            # template for the next hospital (hospital data lives in default, not here).
            forget_database(work_alias)
            template_save(storage, work_name)

        with runner.step("finalize") as step:
            forget_database(work_alias)
            forget_database(alias_for_code(hospital.code))
            if storage.exists(final_name) and not replacing:
                raise ProvisioningError(
                    f"a database appeared at {storage.describe(final_name)} meanwhile",
                    step=step.step.label,
                )
            if before_replace is not None:
                before_replace(storage.identity(work_name))
            storage.move(work_name, final_name, replace=replacing)
            moved_into_place = True
            failpoint("moved-into-place")
            hospital_mark_ready(hospital=hospital, migration_state=tenant_migration_state())
            step.summary = f"{storage.describe(final_name)} in place; {hospital.name} is ready"
    except Exception as exc:
        forget_database(work_alias)
        storage.drop(work_name)
        if created_admin is not None:
            created_admin.undo()
        if replacing and not moved_into_place:
            # The old database is still there, untouched: keep using it if it is sound.
            still_working = mark_by_database_in_place(hospital) is None
            if still_working and isinstance(exc, ProvisioningError):
                raise ProvisioningError(
                    f"{exc.message} — the hospital keeps working on its previous database",
                    step=exc.step,
                ) from exc
        else:
            hospital_mark_failed(hospital=hospital, unless_ready=True)
        raise
    logger.info("provisioned hospital %s (fast path: %s)", hospital.code, fast_path)
    return ProvisionResult(
        hospital=hospital,
        admin_username=admin.username,
        temporary_password=admin.temporary_password,
        fast_path=fast_path,
        admin_password_applied=admin.password_applied,
        backup_path=backup,
    )


# -- migrate and verify existing hospitals -------------------------------------------


MIGRATE_STEPS = (
    Step("check", gettext_noop("Check database"), 10),
    Step("backup", gettext_noop("Copy the database"), 10),
    Step("migrate", gettext_noop("Apply migrations"), 70),
    Step("verify", gettext_noop("Verify database"), 10),
)


def hospital_migrate(
    hospital: Hospital, *, report: Reporter = silent, safety_copy: Path | None = None
) -> int:
    """Apply pending tenant migrations to a ready hospital; returns how many ran.

    When migrations are pending, a copy of the database is taken first (to
    ``safety_copy``, default a new file in the backups directory); if a migration or the
    verification fails, the copy is written back, so the hospital stays at its previous
    consistent state, and then removed.
    """
    runner = StepRunner(MIGRATE_STEPS, report)
    with runner.step("check") as step:
        storage, name = storage_for(hospital), database_name(hospital)
        if not storage.exists(name):
            raise ProvisioningError(
                f"database {storage.describe(name)} is missing", step=step.step.label
            )
        alias = hospital_alias(hospital)
        pending = inspect_database(alias).unapplied
        step.summary = f"{len(pending)} pending migrations"
    copy: Path | None = None
    with runner.step("backup") as step:
        if pending:
            copy = database_copy(hospital, safety_copy or backup_path(hospital, "migrate"))
            step.summary = f"copied to {display_path(copy)}"
        else:
            step.summary = "nothing pending; no copy needed"
    try:
        with runner.step("migrate") as step:
            applied = _migrate_with_progress(alias, step)
            step.summary = f"{applied} migrations applied"
        with runner.step("verify") as step:
            step.summary = verify_alias(alias)
            Hospital.objects.filter(pk=hospital.pk).update(migration_state=tenant_migration_state())
    except ProvisioningError as exc:
        if copy is None:
            raise
        try:
            database_restore(copy, hospital)
        except Exception as restore_error:
            raise ProvisioningError(
                f"{exc.message}; restoring the copy failed too ({restore_error}) — "
                f"it is kept at {display_path(copy)}",
                step=exc.step,
            ) from exc
        copy.unlink(missing_ok=True)
        raise ProvisioningError(
            f"{exc.message} — the database was restored from the copy taken before migrating",
            step=exc.step,
        ) from exc
    if copy is not None:
        copy.unlink(missing_ok=True)
    return applied
