from __future__ import annotations

from pathlib import Path

import pytest

from apps.core.exceptions import ValidationError
from apps.tenancy.storage.files import safe_path_in

# file names in the SQLite directory (symlinks, ..)
pytestmark = pytest.mark.sqlite_only


def test_a_safe_name_lands_directly_in_the_directory(tmp_path: Path) -> None:
    assert safe_path_in(tmp_path, "hospital_cgh001.sqlite3") == tmp_path.resolve() / (
        "hospital_cgh001.sqlite3"
    )


@pytest.mark.parametrize("name", ["../db.sqlite3", "sub/db.sqlite3", "..", "", ".hidden"])
def test_a_name_that_could_leave_the_directory_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValidationError, match="not a safe database file name"):
        safe_path_in(tmp_path, name)


def test_a_symlink_pointing_out_of_the_directory_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "tenants"
    inside.mkdir()
    (inside / "hospital_evil.sqlite3").symlink_to(tmp_path / "db.sqlite3")
    with pytest.raises(ValidationError, match="would escape"):
        safe_path_in(inside, "hospital_evil.sqlite3")


def test_a_symlink_that_stays_in_the_directory_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "hospital_a.sqlite3").touch()
    (tmp_path / "hospital_b.sqlite3").symlink_to(tmp_path / "hospital_a.sqlite3")
    assert safe_path_in(tmp_path, "hospital_b.sqlite3").parent == tmp_path.resolve()
