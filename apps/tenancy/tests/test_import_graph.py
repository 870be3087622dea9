"""The shape of apps/tenancy, checked from its source: no import loop among the tenancy
modules and the Celery app, and tenancy never imports accounts.

Every import counts, also one inside a function (a "lazy" import only hides a loop), except
those under ``if TYPE_CHECKING:`` (never run: type names only). Tests (``apps/tenancy/tests``)
and migrations are left out: tests may use any app to set a scene. (The rules for the
whole project: apps/shell/tests/test_import_rules.py.)
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TENANCY = ROOT / "apps" / "tenancy"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_modules() -> dict[str, Path]:
    paths = [*TENANCY.rglob("*.py"), *(ROOT / "worker").rglob("*.py")]
    return {
        _module_name(path): path
        for path in paths
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    }


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a.b import c`` yields a.b and a.b.c, c may
    be a module), TYPE_CHECKING blocks left out."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph[module]):
            if other not in index:
                strong(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            strong(module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _source_modules()
    return {
        name: {other for other in _imports(path) if other in modules and other != name}
        for name, path in modules.items()
    }


def test_the_cycle_finder_finds_a_loop_held_by_lazy_imports(tmp_path: Path) -> None:
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from apps.tenancy.tasks import run_job\n")
    assert "apps.tenancy.tasks.run_job" in _imports(lazy)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_tenancy_and_the_celery_app_import_each_other_in_no_loop() -> None:
    graph = _graph()
    assert "worker.app" in graph["apps.tenancy.jobs.dispatch"]  # dispatch by task name
    assert _cycles(graph) == []


def test_no_tenancy_module_imports_accounts() -> None:
    offenders = {
        name: sorted(i for i in _imports(path) if i.split(".")[:2] == ["apps", "accounts"])
        for name, path in _source_modules().items()
        if name.startswith("apps.tenancy")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_hospital_administrator_maker_is_accounts_own_plugged_in() -> None:
    from apps.accounts.provisioning import HospitalAdmins
    from apps.tenancy.hooks import hospital_admin_provider

    assert isinstance(hospital_admin_provider(), HospitalAdmins)


@pytest.mark.parametrize(
    "first", ["apps.tenancy.jobs.runner", "apps.tenancy.tasks", "worker.app", "worker"]
)
def test_each_end_of_the_old_loop_imports_first_in_a_fresh_interpreter(first: str) -> None:
    """Whichever module a process imports first, the others follow without an error."""
    script = (
        "import django; django.setup()\n"
        f"import importlib; importlib.import_module({first!r})\n"
        "import sys, apps.tenancy.jobs.runner, apps.tenancy.tasks, worker.app\n"
        "assert 'tenancy.run_job' in sys.modules['worker.app'].app.tasks\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hms.settings", "HMS_ENV_FILE": "/dev/null"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
