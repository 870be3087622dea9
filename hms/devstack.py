"""The real HMS stack — Redis, a Celery worker, the web server — started the way
`make run` starts it, in a scratch data directory: for the end-to-end and integration
tests and for `manage.py benchmark`.

The commands are the Procfile's own lines (run through ``sh`` as honcho runs them), with
DEBUG off and the secret key platform_setup generated into the data directory's .env —
so the tests exercise gunicorn, WhiteNoise and the error pages exactly as deployed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "E2e-Platform-Admin-1"


def procfile_command(name: str) -> str:
    """The command of process ``name`` in the Procfile (what `make run` starts)."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name and command.strip():
            return command.strip()
    raise KeyError(f"no {name!r} process in the Procfile")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port} after {timeout}s")


@dataclass
class Stack:
    data_dir: Path
    web_port: int
    redis_port: int
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    #: more environment for every process (e.g. shorter job timeouts in tests)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HMS_", "DJANGO_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "hms.settings",
                "HMS_DATA_DIR": str(self.data_dir),
                "HMS_ENV_FILE": str(self.data_dir / ".env"),
                "HMS_PORT": str(self.web_port),
                "HMS_REDIS_PORT": str(self.redis_port),
                "HMS_ADMIN_USERNAME": ADMIN_USERNAME,
                "HMS_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    @property
    def platform_url(self) -> str:
        return f"http://localhost:{self.web_port}"

    def hospital_url(self, subdomain: str) -> str:
        return f"http://{subdomain}.localhost:{self.web_port}"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_process(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_procfile(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        """Start the Procfile's process ``name`` as `make run` does: DEBUG off (the
        secret key comes from the data directory's .env, written by platform_setup)."""
        environment = {"HMS_DEBUG": "false", **self.env, **env}
        command = ["/bin/sh", "-c", f"exec {procfile_command(name)}"]
        return self.start_process(name, command, env=environment)

    def start_redis(self) -> None:
        self.start_procfile("redis")
        wait_for_port(self.redis_port)

    def start_worker(self, concurrency: int = 2, **env: str) -> None:
        # The embedded beat (-B) runs the job maintenance task (reaper, re-sending).
        self.start_procfile("worker", HMS_WORKER_CONCURRENCY=str(concurrency), **env)

    def start_web(self) -> None:
        self.start_procfile("web")
        wait_for_port(self.web_port)

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop(self) -> None:
        for name in ("web", "worker", "redis"):
            self.stop_process(name)


def start_stack(data_dir: Path, *, worker: bool = True) -> Stack:
    """Set up the platform (as `make run` does) and start Redis, worker and web."""
    data_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(data_dir=data_dir, web_port=free_port(), redis_port=free_port())
    stack.manage("platform_setup")
    try:
        stack.start_redis()
        if worker:
            stack.start_worker()
        stack.start_web()
    except Exception:
        stack.stop()
        raise
    return stack
