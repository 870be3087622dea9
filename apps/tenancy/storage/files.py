"""Durable, owner-only files: how every database file and backup is written.

A file moved into place must survive a power cut the moment the move is seen: its
contents are fsynced before the rename (else the new name may point at a file whose
blocks never reached the disk), and its directory after (else the rename itself may be
lost). Database files, copies and backups hold clinical data, so they are created
readable by the owner only (0600) — from the start, with no window where they are not —
and the process umask (set in ``TenancyConfig.ready``) keeps the SQLite sidecars and
anything else written the same.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077


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
