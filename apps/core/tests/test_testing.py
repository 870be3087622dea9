"""The race harness every race test leans on: if it did not really overlap its threads,
those tests would pass without testing anything."""

from __future__ import annotations

import threading
from contextvars import ContextVar

import pytest
from django.db import connections

from apps.core.testing import run_at_once
from apps.tenancy.connections import hospital_alias
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_every_thread_is_inside_the_section_at_the_same_moment() -> None:
    # The inner barrier lets no one out before all are in: it only opens if the threads
    # are inside it together, and it fails (BrokenBarrierError) after 10 s otherwise.
    threads = 4
    inside = threading.Barrier(threads, timeout=10)
    lock = threading.Lock()
    present: list[int] = []
    most_at_once = 0

    def section() -> int:
        nonlocal most_at_once
        with lock:
            present.append(1)
            most_at_once = max(most_at_once, len(present))
        inside.wait()
        with lock:
            present.pop()
        return threading.get_ident()

    outcomes = run_at_once(*[section] * threads)
    assert most_at_once == threads
    assert len({outcome.result for outcome in outcomes}) == threads  # one thread each


def test_results_and_errors_come_back_in_the_order_given() -> None:
    second_done = threading.Event()

    def slow() -> str:
        assert second_done.wait(10)  # finishes last, comes back first
        return "first"

    def failing() -> str:
        second_done.set()
        raise LookupError("second")

    first, second = run_at_once(slow, failing)
    assert (first.result, first.error, first.refused(LookupError)) == ("first", None, False)
    assert isinstance(second.error, LookupError) and second.refused(LookupError)
    assert second.value_or_error is second.error
    with pytest.raises(LookupError, match="second"):
        second.refused(PermissionError)  # an error the test did not expect is raised again
    with pytest.raises(LookupError, match="second"):
        _ = second.result


def test_each_thread_opens_and_closes_a_connection_of_its_own(hospital_a: Hospital) -> None:
    def connect() -> object:
        connection = connections[hospital_alias(hospital_a)]
        connection.ensure_connection()
        return connection

    with tenant_context(hospital_a):
        outcomes = run_at_once(connect, connect)
    first, second = (outcome.result for outcome in outcomes)
    assert first is not second
    assert first.connection is None and second.connection is None  # type: ignore[attr-defined]


def test_each_thread_runs_in_a_copy_of_the_callers_context(hospital_a: Hospital) -> None:
    from apps.tenancy.context import current_hospital

    selected: ContextVar[str] = ContextVar("selected", default="nothing")

    def read_then_change() -> tuple[str, Hospital | None]:
        seen = selected.get()
        selected.set("changed in a thread")
        return seen, current_hospital()

    selected.set("the caller's")
    with tenant_context(hospital_a):
        outcomes = run_at_once(read_then_change, read_then_change)
    assert [outcome.result for outcome in outcomes] == [("the caller's", hospital_a)] * 2
    assert selected.get() == "the caller's"


def test_a_thread_still_running_after_the_timeout_fails_the_call() -> None:
    release = threading.Event()
    try:
        with pytest.raises(TimeoutError, match=r"still running after 0\.2 s: run_at_once-1"):
            run_at_once(lambda: None, lambda: release.wait(10), timeout=0.2)
    finally:
        release.set()
