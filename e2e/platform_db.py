"""Looking into a running stack's platform database from a test, and catching a job
half way through by holding that database's write lock for a moment."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from hms.devstack import Stack

JOB_OF_HOSPITAL = (
    "SELECT j.id, j.status, j.percent FROM tenancy_provisioningjob j "
    "JOIN tenancy_hospital h ON h.id = j.hospital_id WHERE h.subdomain = ? "
    "ORDER BY j.created_at DESC LIMIT 1"
)


class PlatformDatabase:
    """Read-only queries on the stack's platform database: an independent look at what
    the web, the worker and the commands wrote."""

    def __init__(self, stack: Stack) -> None:
        self.path = stack.data_dir / "db.sqlite3"

    def rows(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute(sql, params).fetchall()]

    def row(self, sql: str, *params: Any) -> dict[str, Any]:
        (found,) = self.rows(sql, *params)
        return found

    def job(self, job_id: str) -> dict[str, Any]:
        return self.row("SELECT * FROM tenancy_provisioningjob WHERE id = ?", uuid.UUID(job_id).hex)

    def hospital(self, subdomain: str) -> dict[str, Any]:
        return self.row("SELECT * FROM tenancy_hospital WHERE subdomain = ?", subdomain)

    def raw_bytes(self) -> bytes:
        """Every byte of the database files, WAL included."""
        return b"".join(
            path.read_bytes() for path in (self.path, Path(f"{self.path}-wal")) if path.exists()
        )


class JobCatcher(threading.Thread):
    """Holds the platform database's write lock once the hospital's latest job is under
    way (running, past its first step) — as a busy writer would — so the worker is
    stopped at its next write, half way through, however fast the machine is.
    ``caught_percent`` is None when the job ended before it could be caught."""

    def __init__(self, stack: Stack, subdomain: str) -> None:
        super().__init__(daemon=True)
        self.path = stack.data_dir / "db.sqlite3"
        self.subdomain = subdomain
        self.caught_percent: int | None = None
        self.caught = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                row = db.execute(JOB_OF_HOSPITAL, [self.subdomain]).fetchone()
                if row and row[1] == "running" and row[2] > 0:
                    db.execute("BEGIN IMMEDIATE")
                    row = db.execute(JOB_OF_HOSPITAL, [self.subdomain]).fetchone()
                    if row[1] == "running":
                        self.caught_percent = row[2]
                    self.caught.set()
                    self.release.wait(60)
                    db.execute("ROLLBACK")
                    return
                if row and row[1] in ("succeeded", "failed"):
                    break
                time.sleep(0.002)
        self.caught.set()

    def __enter__(self) -> JobCatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.join(timeout=10)


def wait_for(condition: Any, *, timeout: float = 30.0, what: str = "condition") -> Any:
    """Poll ``condition()`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
