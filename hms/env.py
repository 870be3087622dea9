"""Typed readers for settings that come from the environment; a bad value fails at start-up."""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name (Asia/Baku), checked against the machine's zone database."""
    raw = os.environ.get(name) or default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone such as Asia/Baku or UTC, got {raw!r}"
        ) from None
    return raw


def env_file_path(raw: str) -> Path | None:
    """The env file ``raw`` names, or None for "no env file": ``/dev/null`` (what the
    tests set) or nothing. Nothing is ever read from, written to or chmodded at
    /dev/null: run as root, making it owner-only broke every other user of the machine."""
    if raw.strip() in {"", os.devnull}:
        return None
    return Path(raw)


def load_env_file(path: Path | None) -> None:
    """Read KEY=value lines from a git-ignored env file as defaults for os.environ.

    `make run` keeps the generated admin password and secret key there, so the web
    process, the worker and management commands all see the same values.
    """
    if path is None:
        return
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())
