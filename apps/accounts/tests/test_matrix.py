from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from apps.accounts.matrix import role_module_matrix, role_module_matrix_block

README = Path(settings.BASE_DIR) / "README.md"


def test_the_readme_carries_the_role_module_matrix_the_modules_declare() -> None:
    """Change a module's roles (or add a module) and this fails until the README's
    Security section gets `manage.py role_matrix`'s table."""
    assert role_module_matrix_block() in README.read_text(encoding="utf-8")


def test_the_matrix_follows_the_access_rule() -> None:
    rows = {line.split(" | ")[0].strip("| "): line for line in role_module_matrix().splitlines()}
    assert rows["Staff"].count("✓") == 1  # administrators only
    assert rows["Patients"].split(" | ")[1] == "✓"  # administrators open every module
    assert "Platform admin" not in role_module_matrix()


def test_the_command_prints_the_block() -> None:
    out = StringIO()
    call_command("role_matrix", stdout=out)
    assert out.getvalue().strip() == role_module_matrix_block()
