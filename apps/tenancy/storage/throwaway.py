"""Throwaway PostgreSQL servers for tests and benchmarks.

Each is a fresh cluster (``initdb``) in a temporary directory on a free local port,
started with ``pg_ctl`` and removed afterwards. ``initdb`` refuses to run as root, so
as root the cluster belongs to the ``postgres`` user (Debian's ``postgresql`` package
creates it); as anyone else it belongs to whoever runs. Durability is switched off
(``fsync=off``): these servers hold nothing worth keeping, and tests stay fast.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"


def postgres_bin_dir() -> Path:
    """Where initdb and pg_ctl are: HMS_POSTGRES_BIN, else Debian's newest version."""
    configured = os.environ.get("HMS_POSTGRES_BIN")
    if configured:
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name),
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found is None:
        raise RuntimeError(
            "PostgreSQL is not installed (Debian: apt-get install postgresql), "
            "or set HMS_POSTGRES_BIN to the directory holding initdb and pg_ctl"
        )
    return Path(found).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ThrowawayServer:
    port: int
    directory: Path

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"


def _as_cluster_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def _run(command: list[str]) -> None:
    result = subprocess.run(_as_cluster_owner(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-2000:]}")


@contextmanager
def throwaway_server(*, max_connections: int = 200) -> Iterator[ThrowawayServer]:
    """A running PostgreSQL server for the duration of the block (see the docstring)."""
    binaries = postgres_bin_dir()
    directory = Path(tempfile.mkdtemp(prefix="hms-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, SUPERUSER)
    data = directory / "data"
    port = free_port()
    _run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ]
    )
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c synchronous_commit=off -c full_page_writes=off "
        f"-c max_connections={max_connections}"
    )
    _run(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "server.log"),
            "-w",
            "start",
        ]
    )
    try:
        yield ThrowawayServer(port=port, directory=directory)
    finally:
        try:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def throwaway_servers(count: int) -> Iterator[list[ThrowawayServer]]:
    with ExitStack() as stack:
        yield [stack.enter_context(throwaway_server()) for _ in range(count)]
