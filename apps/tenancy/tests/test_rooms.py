"""What each room of tenancy, and the Celery app beside it, may import — read from the
source (every import counts, also one inside a function; ``TYPE_CHECKING`` blocks aside)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _imported(node: ast.AST, *, into_functions: bool = True) -> set[str]:
    """The modules imported under ``node`` (``from a import b`` yields a and a.b); with
    ``into_functions`` false, only what runs when the module is imported."""
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                found |= _imported(other, into_functions=into_functions)
            continue
        if not into_functions and isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            continue
        if isinstance(child, ast.Import):
            found.update(alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
            found.add(child.module)
            found.update(f"{child.module}.{alias.name}" for alias in child.names)
        found |= _imported(child, into_functions=into_functions)
    return found


def _module_imports(path: Path, *, into_functions: bool = True) -> set[str]:
    return _imported(ast.parse(path.read_text(), filename=str(path)), into_functions=into_functions)


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_the_readers_see_lazy_imports_and_leave_type_checking_ones_aside(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import apps.tenancy.models\n"
        "if TYPE_CHECKING:\n"
        "    from apps.tenancy.storage.sqlite import SqliteStorage\n"
        "def later():\n"
        "    from apps.tenancy.storage import postgresql\n"
    )
    assert "apps.tenancy.storage.postgresql" in _module_imports(sample)
    assert "apps.tenancy.storage.sqlite" not in _module_imports(sample)
    assert _module_imports(sample, into_functions=False) == {
        "typing",
        "typing.TYPE_CHECKING",
        "apps.tenancy.models",
    }


def test_the_celery_app_imports_no_project_app_when_it_loads() -> None:
    """worker/ is the Celery app and its beat: it loads before Django's apps are ready
    (``celery -A worker``), so tenancy — the tenant-aware task base included — is
    imported only by the tasks modules the worker discovers, never by worker/ itself."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _module_imports(path, into_functions=False)
            if name.split(".")[0] == "apps"
        )
        for path in _sources("worker")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


#: the storage backends: only apps.tenancy.storage itself chooses between them
STORAGE_IMPLEMENTATIONS = (
    "apps.tenancy.storage.sqlite",
    "apps.tenancy.storage.sqlite_schema",
    "apps.tenancy.storage.postgresql",
)
#: database drivers: reaching a database past both Django and the storage
DRIVERS = ("sqlite3", "psycopg")


def _is_under(name: str, modules: tuple[str, ...]) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in modules)


def test_provisioning_and_the_jobs_speak_only_the_storage_interface() -> None:
    """Provisioning and the job runner reach a hospital's database through its storage
    (``apps.tenancy.storage``: the interface in base.py) and Django's connections —
    never a backend or a driver of their own, so they run unchanged on either."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _module_imports(path)
            if _is_under(name, STORAGE_IMPLEMENTATIONS) or _is_under(name, DRIVERS)
        )
        for path in _sources("apps/tenancy/provisioning", "apps/tenancy/jobs")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_storage_check_would_catch_a_backend_imported_by_name(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from apps.tenancy.storage import sqlite\nimport sqlite3\n")
    names = _module_imports(sample)
    assert any(_is_under(name, STORAGE_IMPLEMENTATIONS) for name in names)
    assert any(_is_under(name, DRIVERS) for name in names)


def test_every_task_the_beat_and_the_job_runner_name_is_registered_by_autodiscovery() -> None:
    """Task bodies live in their rooms (jobs/tasks.py, provisioning/tasks.py); the
    names queued messages and the beat use are found the way the worker finds them."""
    from worker import app
    from worker.beat import beat_schedule

    app.loader.import_default_modules()  # what a starting worker does
    named = {entry["task"] for entry in beat_schedule().values()} | {"tenancy.run_job"}
    assert named - set(app.tasks) == set()
