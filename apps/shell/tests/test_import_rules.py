"""The rooms of the house, checked from the source: which app may import which.

Ground floor first — ``core`` (imports no other app of the project) → ``tenancy`` and
``accounts`` → the modules (the tenant apps) → the staff shell on top, which nothing
imports. Every import counts, also one inside a function (a lazy import only hides an
arrow), except those under ``if TYPE_CHECKING:`` (never run: type names only). Tests and
migrations are left out: a test may use any app to set a scene. The modules use each other
downward only: no loop between two modules, and no import loop anywhere in the project.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from apps.tenancy.registry import tenant_app_configs

ROOT = Path(settings.BASE_DIR)
#: the project's own packages (third-party code is not ours to check)
PACKAGES = ("apps", "hms", "worker")


# -- reading the source ---------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(root: Path) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).parts
            if "tests" not in parts and "migrations" not in parts:
                modules[module_name(path, root)] = path
    return modules


def imports(path: Path, name: str) -> set[str]:
    """Every module ``path`` (the module ``name``) imports: ``from a.b import c`` yields
    a.b and a.b.c (c may be a module); relative imports resolved; TYPE_CHECKING blocks
    left out."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return found


def app_of(module: str) -> str:
    """``apps.core.modules`` → ``core``; ``hms.urls`` → ``hms``; other code → ``""``."""
    parts = module.split(".")
    if parts[0] == "apps" and len(parts) > 1:
        return parts[1]
    return parts[0] if parts[0] in PACKAGES else ""


# -- the rules ------------------------------------------------------------------------------


def rule_broken(importer: str, imported: str, *, module_apps: frozenset[str]) -> str | None:
    """Why the app ``importer`` may not import the app ``imported`` (None: it may)."""
    if not imported or importer == imported:
        return None
    if importer == "core":
        return "core is the ground floor: it imports no other app of the project"
    if importer == "tenancy" and (imported in {"accounts", "shell"} or imported in module_apps):
        return "tenancy imports neither accounts, a module nor the shell"
    if importer == "accounts" and (imported == "shell" or imported in module_apps):
        return "accounts imports no module and not the shell"
    if importer in module_apps and imported == "shell":
        return "a module never imports the shell (the shell reads the registry)"
    return None


def broken_arrows(root: Path, *, module_apps: frozenset[str]) -> list[str]:
    found = []
    for name, path in sorted(source_modules(root).items()):
        for imported in sorted(imports(path, name)):
            why = rule_broken(app_of(name), app_of(imported), module_apps=module_apps)
            if why is not None:
                found.append(f"{name} imports {imported}: {why}")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return found


def module_graph(root: Path) -> dict[str, set[str]]:
    modules = source_modules(root)
    return {
        name: {other for other in imports(path, name) if other in modules and other != name}
        for name, path in modules.items()
    }


def app_graph(graph: dict[str, set[str]], apps: Iterable[str]) -> dict[str, set[str]]:
    """Which of ``apps`` import which (an arrow per app, whatever the module)."""
    kept = set(apps)
    arrows: dict[str, set[str]] = {app: set() for app in kept}
    for name, imported in graph.items():
        for other in imported:
            if app_of(name) in kept and app_of(other) in kept and app_of(name) != app_of(other):
                arrows[app_of(name)].add(app_of(other))
    return arrows


def installed_module_apps() -> frozenset[str]:
    return frozenset(config.name.rpartition(".")[2] for config in tenant_app_configs())


# -- the house as it is ---------------------------------------------------------------------


def test_every_import_of_the_project_follows_the_rules() -> None:
    assert broken_arrows(ROOT, module_apps=installed_module_apps()) == []


def test_no_import_loop_anywhere_in_the_project() -> None:
    assert cycles(module_graph(ROOT)) == []


def test_the_modules_use_each_other_downward_only() -> None:
    graph = app_graph(module_graph(ROOT), installed_module_apps())
    assert graph["consultations"] >= {"appointments"}  # the graph is read at all
    assert cycles(graph) == []


def test_the_rooms_are_where_the_rules_say() -> None:
    """The rules name apps by folder; the folders must be the ones installed."""
    module_apps = installed_module_apps()
    assert {"patients", "appointments", "billing", "regions"} <= module_apps
    assert not {"core", "tenancy", "accounts", "shell"} & module_apps
    assert {app_of(name) for name in source_modules(ROOT)} >= {
        "core", "tenancy", "accounts", "shell", *module_apps,
    }  # fmt: skip


# -- the checker catches what it is for -------------------------------------------------------


def write(root: Path, name: str, source: str) -> None:
    path = root / (name.replace(".", "/") + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def test_the_checker_catches_each_kind_of_broken_arrow(tmp_path: Path) -> None:
    for package in ("apps", "apps.core", "apps.tenancy", "apps.accounts", "apps.wards"):
        write(tmp_path, f"{package}.__init__", "")
    write(tmp_path, "apps.core.helpers", "def f():\n    from apps.accounts.models import User\n")
    write(
        tmp_path,
        "apps.tenancy.hosts",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from apps.wards.models import Bed\n"  # type names only: fine
        "import apps.shell.menu\n",
    )
    write(tmp_path, "apps.accounts.rules", "from apps.wards import selectors\n")
    write(tmp_path, "apps.wards.views", "from ..shell.selectors import menu_for\n")
    write(tmp_path, "apps.wards.selectors", "from apps.accounts.access import may_act_as\n")
    write(tmp_path, "apps.wards.tests.test_views", "from apps.shell import selectors\n")

    assert broken_arrows(tmp_path, module_apps=frozenset({"wards"})) == [
        "apps.accounts.rules imports apps.wards: accounts imports no module and not the shell",
        "apps.accounts.rules imports apps.wards.selectors: "
        "accounts imports no module and not the shell",
        "apps.core.helpers imports apps.accounts.models: "
        "core is the ground floor: it imports no other app of the project",
        "apps.core.helpers imports apps.accounts.models.User: "
        "core is the ground floor: it imports no other app of the project",
        "apps.tenancy.hosts imports apps.shell.menu: "
        "tenancy imports neither accounts, a module nor the shell",
        "apps.wards.views imports apps.shell.selectors: "
        "a module never imports the shell (the shell reads the registry)",
        "apps.wards.views imports apps.shell.selectors.menu_for: "
        "a module never imports the shell (the shell reads the registry)",
    ]


def test_the_checker_finds_a_loop_held_by_a_lazy_import(tmp_path: Path) -> None:
    for package in ("apps", "apps.wards", "apps.theatre"):
        write(tmp_path, f"{package}.__init__", "")
    write(tmp_path, "apps.wards.beds", "from apps.theatre.cases import case_get\n")
    write(tmp_path, "apps.theatre.cases", "def case_get():\n    from apps.wards import beds\n")
    write(tmp_path, "apps.theatre.lists", "from apps.wards.beds import x\n")
    graph = module_graph(tmp_path)
    assert cycles(graph) == [["apps.theatre.cases", "apps.wards.beds"]]
    assert cycles(app_graph(graph, {"wards", "theatre"})) == [["theatre", "wards"]]
