"""Race tests: run several callables at the same moment on real threads.

Two desks booking one slot, two cashiers taking one payment: the only honest test of
such a race is real threads, each with its own database connection, released together
so that each reads before any of them writes. ``run_at_once`` is that harness, written
once for every race test of the project.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connections

T = TypeVar("T")

#: long enough for a slow, loaded machine; a thread still running after it is a deadlock
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one callable did: returned ``value``, or raised ``error``."""

    value: T | None = None
    error: BaseException | None = None

    @property
    def result(self) -> T:
        """The value returned; the error raised is raised again (the test fails with the
        thread's own traceback)."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]

    def refused(self, *expected: type[BaseException]) -> bool:
        """Whether it raised one of ``expected`` (the race's loser); False when it returned.
        Any other error is raised again: a race test fails on what it did not expect."""
        if self.error is None:
            return False
        if isinstance(self.error, expected):
            return True
        raise self.error

    @property
    def value_or_error(self) -> T | BaseException | None:
        return self.error if self.error is not None else self.value


def run_at_once(*actions: Callable[[], T], timeout: float = DEFAULT_TIMEOUT) -> list[Outcome[T]]:
    """Run ``actions`` on one thread each, released together by a barrier; return what
    each returned or raised, in the order given.

    Each thread runs in a copy of the caller's context (``contextvars``), so a hospital
    selected around the call (``with tenant_context(hospital): run_at_once(...)``) is
    selected in every thread, as a request would be. Django's connections are per
    thread: each thread opens its own and closes every one it opened before it ends
    (SQLite checkpoints its WAL on close; PostgreSQL gets its connection back). A thread
    still running after ``timeout`` seconds fails the call rather than hang the run.
    """
    if not actions:
        raise ValueError("run_at_once needs at least one action")
    start = threading.Barrier(len(actions))
    outcomes: list[Outcome[T] | None] = [None] * len(actions)

    def run(index: int) -> None:
        try:
            start.wait(timeout)
            outcomes[index] = Outcome(value=actions[index]())
        except BaseException as error:  # handed back to the caller, who decides
            outcomes[index] = Outcome(error=error)
        finally:
            _close_this_threads_connections()

    threads = [
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(run, index),
            name=f"run_at_once-{index}",
            daemon=True,  # a deadlocked one must not keep the test run from exiting
        )
        for index in range(len(actions))
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise TimeoutError(f"still running after {timeout:g} s: {', '.join(stuck)}")
    return [outcome for outcome in outcomes if outcome is not None]


def _close_this_threads_connections() -> None:
    # Not connections.close_all(): it iterates the settings dict, which another thread
    # may be adding a hospital's alias to meanwhile. ``_connections`` (the per-thread
    # holder) is not in django-stubs; asking it opens no connection just to close it.
    holder = connections._connections  # type: ignore[attr-defined]
    for alias in list(connections.settings):
        connection = getattr(holder, alias, None)
        if connection is not None:
            connection.close()
