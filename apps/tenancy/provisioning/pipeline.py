"""The provisioning pipeline: a hospital database created, migrated, seeded and put in
place, each step timed and reported.

The same functions run inline from a management command and inside a Celery job; the
caller passes a reporter. A failure at any step removes the temporary database and
never marks the hospital ready.

Fast path: the first hospital built for a given tenant migration state leaves a copy of
its freshly migrated and seeded database as a template
(``tenant_databases/templates/tenant_<state>.sqlite3``, verified, with its SHA-256 beside
it); later hospitals clone it by file copy instead of running every migration, and the
clone is verified by comparing its bytes with the template's.

Recreate is the same pipeline behind a backup of the old database, which the finished
database then replaces; migrate takes a copy first and writes it back if it fails.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_noop

from apps.tenancy.connections import (
    alias_for_code,
    database_path,
    forget_database,
    hospital_alias,
    register_database,
    safe_path_in,
    tenant_db_dir,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.files import copy_private, create_private, durable_replace, write_private_text
from apps.tenancy.hooks import AdminOutcome, PasswordHash, hospital_admin_provider
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.backups import (
    backup_path,
    backups_dir,
    database_copy,
    database_restore,
    display_path,
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
from apps.tenancy.registry import is_tenant_app, tenant_app_configs
from apps.tenancy.status import hospital_mark_failed, hospital_mark_ready

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


# -- files ---------------------------------------------------------------------------


def working_dir() -> Path:
    return tenant_db_dir() / "tmp"


def templates_dir() -> Path:
    return Path(settings.HMS_TEMPLATE_DB_DIR)


def template_path() -> Path:
    return safe_path_in(templates_dir(), f"tenant_{template_state()[:24]}.sqlite3")


def temporary_path(hospital: Hospital) -> Path:
    name = f"hospital_{hospital.code.lower()}.{uuid.uuid4().hex[:12]}.sqlite3"
    return safe_path_in(working_dir(), name)


def remove_database_files(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        candidate.unlink(missing_ok=True)


def copy_database_file(source: Path, target: Path) -> None:
    """Copy a closed SQLite file so the target appears complete or not at all (and,
    once it has appeared, survives a power cut). A copy cut short leaves a
    ``.partial`` that ``remove_stale_working_files`` cleans up."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        copy_private(source, partial)
        failpoint("template-copy")
        durable_replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def template_digest_path(template: Path) -> Path:
    return template.with_name(f"{template.name}.sha256")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def template_save(verified: Path) -> Path:
    """Keep a copy of a verified, closed database as the template for the current state,
    with its SHA-256 beside it: a clone is then verified by its bytes, without opening
    it (see verify_clone)."""
    template = template_path()
    digest = file_sha256(verified)
    copy_database_file(verified, template)
    digest_path = template_digest_path(template)
    partial = digest_path.with_name(f"{digest_path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write_private_text(partial, digest)
        durable_replace(partial, digest_path)
    finally:
        partial.unlink(missing_ok=True)
    return template


def remove_stale_working_files(code: str, *, older_than: float | None = None) -> int:
    """Remove what a crashed run for ``code`` left behind: its temporary databases in
    ``tmp/``, a backup copy cut short (``backups/hospital_<code>.*.partial``) and any
    template copy cut short (``templates/*.partial``, whichever hospital's build wrote
    it). With ``older_than`` (a timestamp), only files last written before it, so a run
    that has just started keeps its own. Returns how many files were removed."""

    name = code.lower()
    patterns = (
        (working_dir(), f"hospital_{name}.*.sqlite3*"),
        (backups_dir(), f"hospital_{name}.*.partial"),
        (templates_dir(), "*.partial"),
    )
    removed = 0
    for directory, pattern in patterns:
        if not directory.is_dir():
            continue
        for path in directory.glob(pattern):
            try:
                if older_than is not None and path.stat().st_mtime >= older_than:
                    continue
            except FileNotFoundError:
                continue
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_leftover_sidecars(path: Path) -> None:
    """Remove a database's WAL/SHM/journal files before another file takes its name:
    SQLite would otherwise replay a WAL written for the old file into the new one."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- steps ---------------------------------------------------------------------------


def _migrate_with_progress(alias: str, handle: StepHandle) -> int:
    def on_migration(index: int, total: int, name: str) -> None:
        handle.progress((index - 1) / total, f"applying {name} — {index}/{total}")

    return apply_tenant_migrations(alias, on_migration)


def seed_reference_data(
    *, update_existing: bool, handle: StepHandle | None = None
) -> dict[str, int]:
    """Run every tenant app's reference-data seeder in the selected hospital's database."""
    totals = {"created": 0, "updated": 0}
    configs = sorted(
        (c for c in tenant_app_configs() if c.reference_data_seeder),
        key=lambda c: (c.seed_order, c.label),
    )
    for position, config in enumerate(configs):
        if handle is not None:
            handle.progress(position / len(configs), f"seeding {config.verbose_name}")
        seeder = config.get_seeder()
        assert seeder is not None
        result = seeder(update_existing=update_existing)
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


def verify_clone(clone: Path, template: Path, alias: str) -> str:
    """Verify a database copied from ``template``: byte for byte the template, which was
    verified (tables, migrations) before it was saved. Without a recorded digest, or when
    the bytes differ (say the template was replaced meanwhile), the copy is opened under
    ``alias`` and verified like any database."""
    try:
        expected = template_digest_path(template).read_text().strip()
    except FileNotFoundError:
        expected = ""
    if expected and file_sha256(clone) == expected:
        return f"identical to the verified template (sha256 {expected[:12]})"
    register_database(alias, clone)
    return verify_alias(alias)


def mark_by_database_in_place(hospital: Hospital) -> str | None:
    """After a build that failed or was cut short: Ready if the database at the
    hospital's final path is complete, else Error. Returns why it is not ready, or None.

    A failed recreate leaves the old database where it was, so the hospital keeps
    working on it instead of going offline until someone retries.
    """
    if not database_path(hospital).exists():
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

    ``before_replace`` is told the new database's ``file_identity`` just before it is
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


def file_identity(path: Path) -> str:
    """``device:inode`` of ``path`` — kept by a rename, so it tells which file is in
    place after a move; "" when there is no file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return ""
    return f"{info.st_dev}:{info.st_ino}"


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
    final_path = database_path(hospital)
    work_path = temporary_path(hospital)
    work_alias = f"provisioning_{hospital.code.lower()}"
    created_admin: AdminOutcome | None = None
    fast_path = False
    moved_into_place = False
    backup: Path | None = None
    try:
        if replace_into is not None:
            with runner.step("backup") as step:
                if final_path.exists():
                    forget_database(alias_for_code(hospital.code))
                    backup = database_copy(final_path, replace_into)
                    step.summary = f"copied to {display_path(backup)}"
                else:
                    step.summary = f"no database at {final_path.name}; nothing to back up"

        with runner.step("create") as step:
            if final_path.exists() and not replacing:
                raise ProvisioningError(
                    f"a database already exists at {final_path.name}", step=step.step.label
                )
            work_path.parent.mkdir(parents=True, exist_ok=True)
            template = template_path()
            if use_template and template.exists():
                copy_private(template, work_path)
                fast_path = True
                step.summary = f"fast path: cloned template {template.name}"
            else:
                step.summary = "slow path: new empty database (no template for this state yet)"
                create_private(work_path)  # SQLite takes an empty file as a new database
                register_database(work_alias, work_path)
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
                step.summary = verify_clone(work_path, template, work_alias)
            else:
                step.summary = verify_alias(work_alias)
        if not fast_path and use_template:
            # Checkpoint and close, then keep a copy of the verified database as the
            # template for the next hospital (hospital data lives in default, not here).
            forget_database(work_alias)
            template_save(work_path)

        with runner.step("finalize") as step:
            forget_database(work_alias)
            forget_database(alias_for_code(hospital.code))
            if final_path.exists() and not replacing:
                raise ProvisioningError(
                    f"a database appeared at {final_path.name} meanwhile", step=step.step.label
                )
            remove_leftover_sidecars(final_path)
            if before_replace is not None:
                before_replace(file_identity(work_path))
            durable_replace(work_path, final_path)
            moved_into_place = True
            failpoint("moved-into-place")
            hospital_mark_ready(hospital=hospital, migration_state=tenant_migration_state())
            step.summary = f"{final_path.name} in place; {hospital.name} is ready"
    except Exception as exc:
        forget_database(work_alias)
        remove_database_files(work_path)
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
        path = database_path(hospital)
        if not path.exists():
            raise ProvisioningError(f"database file {path.name} is missing", step=step.step.label)
        alias = hospital_alias(hospital)
        pending = inspect_database(alias).unapplied
        step.summary = f"{len(pending)} pending migrations"
    copy: Path | None = None
    with runner.step("backup") as step:
        if pending:
            copy = database_copy(path, safety_copy or backup_path(hospital, "migrate"))
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
