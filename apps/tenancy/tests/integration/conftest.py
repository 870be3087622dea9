"""A real Redis (from .venv/bin) and a real Celery worker process (with its embedded
beat) in a temporary data directory; no web server. Job timings are shortened so a
dead worker's job is reaped within seconds."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from e2e.platform_db import PlatformDatabase
from hms.devstack import ROOT, Stack, free_port

FAST_JOB_TIMINGS = {
    "HMS_JOB_HEARTBEAT_SECONDS": "1",
    "HMS_JOB_STALE_SECONDS": "3",
    "HMS_JOB_MAINTENANCE_SECONDS": "1",
    "HMS_JOB_WAITING_SECONDS": "2",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("hms-integration")
    running = Stack(
        data_dir=data_dir,
        web_port=free_port(),
        redis_port=free_port(),
        extra_env=FAST_JOB_TIMINGS,
    )
    running.manage("platform_setup")
    try:
        running.start_redis()
        running.start_worker()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def platform(stack: Stack) -> PlatformDatabase:
    return PlatformDatabase(stack)


class Follower:
    """A management command running in the background, its output read line by line."""

    def __init__(self, stack: Stack, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=stack.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for_line(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise TimeoutError(f"no line matching {pattern!r} in: {''.join(self.output)}")

    def interrupt(self) -> str:
        """Ctrl-C; returns the rest of the output."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        time.sleep(0.2)
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return "".join(self.output)


@pytest.fixture
def no_worker(stack: Stack) -> Iterator[None]:
    """The worker stopped for the test's first part; the test starts it again (or it
    is restarted afterwards)."""
    stack.stop_process("worker")
    yield
    if "worker" not in stack.processes:
        stack.start_worker()
