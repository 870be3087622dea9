from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.benchmarking import Measurement
from apps.core.modules import benchmark_providers
from apps.shell.benchmarks import load as load_benchmarks
from apps.shell.benchmarks import scale as scale_benchmarks
from apps.tenancy.benchmarks import provisioning as benchmarks
from apps.tenancy.provisioning.migrations_state import tenant_migration_names
from apps.tenancy.storage import storages
from hms.devstack import ROOT, Stack, free_port

SCRATCH_MARKER = ".hms-benchmark-scratch"
CLONE_TARGET_SECONDS = 0.300
#: a new hospital on PostgreSQL: >= 5x ahead of django-tenants' 1.15 s schema clone here
PG_CLONE_TARGET_SECONDS = 0.200
#: the clone path against every migration from scratch (SQLite: migrations are cheap on
#: PostgreSQL's side of the ratio too, so the target there is the absolute one above)
RATIO_TARGET = 25
CHECK_TARGET_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "provisioning: median time to a ready hospital on the slow path and the clone path, "
        "fleet-migrate of N hospitals with 1 and 2 worker processes, and the up-to-date "
        "check of a fleet. scale: per-request cost at 1 and 1,000 hospitals, routing "
        "overhead, search among 200,000 patients. clinic: server time of the outpatient "
        "pages each installed module measures (its Module.benchmarks), as "
        "medians against targets. load: a 300-bed hospital's morning through gunicorn as "
        "`make run` starts it — N signed-in staff in a shift's proportions with think time "
        "and htmx polls; throughput, p50/p95/p99 per page kind, errors, and the highest "
        "request rate held at p95 <= 300 ms. "
        "Runs in a scratch data directory (provisioning with its own Redis and Celery "
        "workers), DEBUG off; the real platform is untouched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what", choices=["provisioning", "clinic", "scale", "load"], help="what to measure"
        )
        parser.add_argument(
            "--runs", type=int, default=15, help="runs per path or per page (median)"
        )
        parser.add_argument("--fleet", type=int, default=20, help="hospitals to fleet-migrate")
        parser.add_argument(
            "--check", type=int, default=500, help="hospitals in the up-to-date check"
        )
        parser.add_argument(
            "--hospitals", type=int, default=1000, help="scale: hospitals the process serves"
        )
        parser.add_argument(
            "--patients",
            type=int,
            default=200_000,
            help="scale: patients to search among; load: the hospital's register",
        )
        parser.add_argument(
            "--users", type=int, default=150, help="load: signed-in staff working at once"
        )
        parser.add_argument(
            "--seconds", type=float, default=120, help="load: how long they work (seconds)"
        )
        parser.add_argument(
            "--beds", type=int, default=300, help="load: the hospital's beds (80 %% in use)"
        )
        parser.add_argument(
            "--think",
            type=float,
            default=15.0,
            help="load: mean seconds a person reads or types between pages",
        )
        parser.add_argument(
            "--step-seconds",
            type=float,
            default=20,
            help="load: seconds of each step of the search for the highest sustained rate "
            "(0: no search)",
        )
        parser.add_argument(
            "--backend",
            choices=["sqlite", "postgresql"],
            default="sqlite",
            help="where hospital databases live: SQLite files (default) or two throwaway "
            "PostgreSQL servers started for the run (HMS_TENANT_SERVERS)",
        )
        parser.add_argument("--scratch", action="store_true", help=_internal())

    def handle(self, *args: Any, **options: Any) -> None:
        if min(options["users"], options["beds"]) < 1 or options["seconds"] <= 0:
            raise CommandError("--users, --beds and --seconds must be positive")
        if options["think"] < 0 or options["step_seconds"] < 0:
            raise CommandError("--think and --step-seconds must be at least 0")
        for name in ("runs", "fleet", "check"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        if options["check"] < options["fleet"]:
            raise CommandError("--check must be at least --fleet")
        if options["scratch"]:
            if options["what"] == "clinic":
                self.measure_clinic(options)
            elif options["what"] == "scale":
                self.measure_scale(options)
            elif options["what"] == "load":
                self.measure_load(options)
            else:
                self.measure(options)
        else:
            self.run_in_scratch_directory(options)

    def run_in_scratch_directory(self, options: dict[str, Any]) -> None:
        with ExitStack() as resources:
            directory = resources.enter_context(
                tempfile.TemporaryDirectory(prefix="hms-benchmark-")
            )
            tenant_servers = ""
            platform_database = ""
            if options["backend"] == "postgresql":
                from apps.tenancy.storage.throwaway import throwaway_servers

                servers = resources.enter_context(throwaway_servers(2))
                tenant_servers = ",".join(server.url for server in servers)
                if options["what"] in ("scale", "load"):
                    # the platform on PostgreSQL too: the one-database app it is compared
                    # with, and the web process of a PostgreSQL deployment
                    platform_database = _platform_database_on(servers[0].url)
            stack = Stack(data_dir=Path(directory), web_port=free_port(), redis_port=free_port())
            (stack.data_dir / SCRATCH_MARKER).touch()
            command = [
                sys.executable, "manage.py", "benchmark", options["what"], "--scratch",
                f"--runs={options['runs']}", f"--fleet={options['fleet']}",
                f"--check={options['check']}", f"--hospitals={options['hospitals']}",
                f"--patients={options['patients']}", f"--users={options['users']}",
                f"--seconds={options['seconds']}", f"--think={options['think']}",
                f"--step-seconds={options['step_seconds']}", f"--beds={options['beds']}",
            ]  # fmt: skip
            # Measured as deployed: without DEBUG, Django does not record every query.
            env = {
                **stack.env,
                "HMS_LOG_LEVEL": "WARNING",
                "HMS_DEBUG": "false",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "HMS_TENANT_SERVERS": tenant_servers,
                "HMS_DATABASE_URL": platform_database,
            }
            result = subprocess.run(command, cwd=ROOT, env=env, check=False)
            if result.returncode:
                raise CommandError("the benchmark failed (see above)")

    def measure(self, options: dict[str, Any]) -> None:
        if not (Path(settings.DATA_DIR) / SCRATCH_MARKER).exists():
            raise CommandError("--scratch runs only inside the directory the benchmark made")
        call_command("migrate", verbosity=0)
        out = self.stdout.write
        migrations = len(tenant_migration_names())
        where = ", ".join(
            "SQLite files" if storage.vendor == "sqlite" else f"PostgreSQL server {storage.key}"
            for storage in storages()
        )
        out(
            f"HMS provisioning benchmark — {migrations} tenant migrations, "
            f"{os.cpu_count()} CPUs, hospital databases on {where}"
        )

        out(f"\nTime to a ready hospital (median of {options['runs']} interleaved runs)")
        paths = benchmarks.compare_provisioning_paths(runs=options["runs"], progress=out)
        out(f"  slow path  (migrate + seed from scratch)  {paths.slow_median * 1e3:8.1f} ms")
        out(f"  clone path (copy of the template)         {paths.clone_median * 1e3:8.1f} ms")
        out(f"  the clone path is {paths.ratio:.1f}x faster")
        out("  where the time goes (median per step, ms)     slow    clone")
        for label, slow, clone in paths.step_medians():
            out(f"    {label:<40} {slow * 1e3:8.2f} {clone * 1e3:8.2f}")

        fleet = benchmarks.hospitals_ensure(options["fleet"])
        stack = Stack(
            data_dir=Path(settings.DATA_DIR),
            web_port=settings.HMS_PORT,
            redis_port=settings.HMS_REDIS_PORT,
            # the worker runs as deployed (DEBUG off), with this run's throwaway key
            extra_env={
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "HMS_TENANT_SERVERS": os.environ.get("HMS_TENANT_SERVERS", ""),
            },
        )
        out(f"\nFleet migrate of {len(fleet)} hospitals (real Redis + Celery worker)")
        stack.start_redis()
        try:
            timings = {}
            for processes in (1, 2):
                change = benchmarks.hospitals_put_behind(fleet)
                stack.start_worker(concurrency=processes)
                benchmarks.time_fleet_migrate(fleet[:1])  # worker up and warm; not counted
                benchmarks.hospitals_put_behind(fleet[:1])
                elapsed, outcome = benchmarks.time_fleet_migrate(fleet)
                stack.stop_process("worker")
                timings[processes] = elapsed
                out(
                    f"  {processes} worker process{'es' if processes > 1 else '  '}"
                    f"  {elapsed:6.2f} s  ({outcome['succeeded']} succeeded, "
                    f"{outcome['failed']} failed; each: {change})"
                )
            out(f"  2 processes are {timings[1] / timings[2]:.2f}x faster than 1")
        finally:
            stack.stop()

        checked = benchmarks.hospitals_ensure(options["check"])
        checks = benchmarks.compare_up_to_date_checks(checked)
        fleet_noop = benchmarks.time_fleet_migrate_of_up_to_date(checked)
        out(f"\nUp-to-date check of a fleet of {checks.hospitals} hospitals")
        out(
            f"  by recorded migration state (one query)   {checks.by_recorded_state:8.3f} s"
            f"  ({checks.behind_by_state} behind)"
        )
        out(
            f"  by the migration executor, per database   {checks.by_executor:8.3f} s"
            f"  ({checks.behind_by_executor} behind)"
        )
        out(f"  fleet migrate of the up-to-date fleet      {fleet_noop:8.3f} s  (nothing queued)")

        out("\nTargets")
        on_postgresql = any(storage.vendor == "postgresql" for storage in storages())
        if on_postgresql:
            self.verdict(
                f"a new hospital ready in under {PG_CLONE_TARGET_SECONDS * 1e3:.0f} ms (median)",
                paths.clone_median < PG_CLONE_TARGET_SECONDS,
            )
            self.verdict(
                "a fleet on 2 servers migrated faster with 2 worker processes than with 1",
                timings[2] < timings[1],
            )
        else:
            clone_ms = CLONE_TARGET_SECONDS * 1e3
            self.verdict(f"clone path under {clone_ms:.0f} ms", paths.clone_median < clone_ms / 1e3)
            self.verdict(
                f"clone path at least {RATIO_TARGET}x faster than the slow path",
                paths.ratio >= RATIO_TARGET,
            )
        self.verdict(
            f"up-to-date fleet of {checks.hospitals} checked under {CHECK_TARGET_SECONDS:.0f} s",
            fleet_noop < CHECK_TARGET_SECONDS,
        )

    def measure_clinic(self, options: dict[str, Any]) -> None:
        """Each module may name ``clinic_benchmarks(*, hospital, runs)`` returning
        ``apps.core.benchmarking.Measurement``s (``Module.benchmarks``); read from the
        registry, not listed here."""
        if not (Path(settings.DATA_DIR) / SCRATCH_MARKER).exists():
            raise CommandError("--scratch runs only inside the directory the benchmark made")
        call_command("migrate", verbosity=0)
        out = self.stdout.write
        hospital = benchmarks.hospitals_ensure(1)[0]
        out(f"HMS clinic benchmark — server time, DEBUG off, median of {options['runs']} runs")
        measurements: list[Measurement] = []
        for measure in benchmark_providers():
            measurements.extend(measure(hospital=hospital, runs=options["runs"]))
        if not measurements:
            raise CommandError("no installed module measures anything for the clinic")
        for measurement in measurements:
            out(
                f"  {measurement.label:<58} {measurement.median * 1e3:8.1f} ms"
                f"  (target {measurement.target * 1e3:.0f} ms)"
            )
        out("\nTargets")
        for measurement in measurements:
            self.verdict(
                f"{measurement.label} under {measurement.target * 1e3:.0f} ms", measurement.met
            )

    def measure_scale(self, options: dict[str, Any]) -> None:
        """Per-request cost at 1 and N hospitals, routing overhead, search at scale
        (apps.shell.benchmarks.scale)."""
        if not (Path(settings.DATA_DIR) / SCRATCH_MARKER).exists():
            raise CommandError("--scratch runs only inside the directory the benchmark made")
        if options["hospitals"] < 3:
            raise CommandError("--hospitals must be at least 3")
        call_command("migrate", verbosity=0)
        scale_benchmarks.run_scale(
            hospitals=options["hospitals"], patients=options["patients"], runs=options["runs"],
            out=self.stdout.write, verdict=self.verdict,
        )  # fmt: skip

    def measure_load(self, options: dict[str, Any]) -> None:
        """A 300-bed hospital's morning through the real stack (apps.shell.benchmarks.load)."""
        if not (Path(settings.DATA_DIR) / SCRATCH_MARKER).exists():
            raise CommandError("--scratch runs only inside the directory the benchmark made")
        call_command("migrate", verbosity=0)
        stack = Stack(
            data_dir=Path(settings.DATA_DIR),
            web_port=settings.HMS_PORT,
            redis_port=settings.HMS_REDIS_PORT,
            # as deployed (DEBUG off), with this run's throwaway key and databases
            extra_env={
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "HMS_TENANT_SERVERS": os.environ.get("HMS_TENANT_SERVERS", ""),
                "HMS_DATABASE_URL": os.environ.get("HMS_DATABASE_URL", ""),
            },
        )
        try:
            load_benchmarks.run_load(
                stack=stack, users=options["users"], seconds=options["seconds"],
                think=options["think"], step_seconds=options["step_seconds"],
                patients=options["patients"], beds=options["beds"], out=self.stdout.write,
                verdict=self.verdict,
            )  # fmt: skip
        finally:
            stack.stop()

    def verdict(self, target: str, met: bool) -> None:
        style = self.style.SUCCESS if met else self.style.WARNING
        self.stdout.write(style(f"  {'met    ' if met else 'NOT met'}  {target}"))


def _platform_database_on(server_url: str) -> str:
    """A platform database made on a throwaway server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE hms_platform")
    return server_url.rsplit("/", 1)[0] + "/hms_platform"


def _internal() -> str:
    return "internal: measure in the current data directory (made by the benchmark itself)"
