"""Durable, owner-only files: how every database file and backup is written.

A file moved into place must survive a power cut the moment the move is seen: its
contents are fsynced before the rename (else the new name may point at a file whose
blocks never reached the disk), and its directory after (else the rename itself may be
lost). Database files, copies and backups hold clinical data, so they are created
readable by the owner only (0600) — from the start, with no window where they are not —
and the process umask (set in ``TenancyConfig.ready``) keeps the SQLite sidecars and
anything else written the same.

Names come from outside (a hospital code, a backup file picked on a page), so a file is
only ever opened through ``safe_path_in``: one plain name, inside its directory.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from apps.core.exceptions import ValidationError

PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077
_SAFE_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


@lru_cache(maxsize=64)
def resolved_directory(directory: str) -> Path:
    """``directory`` with symlinks resolved: asked on every provisioning step, and a
    full resolve stats every component of the path."""
    return Path(directory).resolve()


def safe_path_in(directory: Path, file_name: str) -> Path:
    """``directory / file_name``, refusing a name with a separator or one whose symlink
    would lead outside the directory."""
    if not _SAFE_FILE_NAME.match(file_name) or ".." in file_name:
        raise ValidationError(f"{file_name!r} is not a safe database file name")
    root = resolved_directory(str(directory))
    path = root / file_name
    if path.is_symlink() and path.resolve().parent != root:
        raise ValidationError(f"{file_name!r} would escape {root}")
    return path


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def create_private(path: Path) -> Path:
    """Create ``path`` empty and owner-only (an existing file is made owner-only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)
    return path


def durable_replace(source: Path, target: Path) -> None:
    """Move ``source`` to ``target`` atomically and durably: fsync before and after."""
    fsync_file(source)
    os.replace(source, target)
    fsync_directory(target.parent)


def copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` (owner-only, fsynced); not atomic by itself."""
    create_private(target)
    with source.open("rb") as origin, target.open("r+b") as copy:
        copy.truncate(0)
        shutil.copyfileobj(origin, copy, length=1024 * 1024)
        copy.flush()
        os.fsync(copy.fileno())


def write_private_text(target: Path, text: str) -> None:
    create_private(target)
    with target.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def make_private(path: Path) -> None:
    """Tighten an existing file to owner-only (files written by an older version)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)
    except FileNotFoundError:
        pass


def make_data_files_private(*directories: Path) -> int:
    """Tighten every file under ``directories`` to owner-only; returns how many changed.
    Run by platform_setup, so an installation made before files were created 0600 is
    brought in line."""
    changed = 0
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in directory.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FILE)
                changed += 1
    return changed
