"""Marking the services that change a hospital's records as audited, and checking it.

``@audited("invoice.issued", ...)`` names the actions a service records. It does two
jobs:

- a test walks every public function of every ``apps/*/services*.py`` and fails for one
  neither marked nor on its commented allow-list (apps/audit/tests/test_coverage.py):
  a new service cannot be added silently;
- while ``checking()`` is on (tests only), each outermost call of a marked service
  counts the SQL statements it sends that write to the hospital's database and the
  audit rows it inserts, and fails if it wrote without recording anything. Counting
  statements, not model saves, also sees ``QuerySet.update()`` (the conditional UPDATEs
  every state move uses) and bulk writes, which send no signals; a statement that
  changed no row (a refused conditional UPDATE) is not a write.

In production the wrapper costs one flag read per call."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router

from apps.audit.actions import ACTIONS

P = ParamSpec("P")
R = TypeVar("R")

AUDIT_TABLE = "audit_clinicalevent"
_INSERTS = ("INSERT", "REPLACE")
_CHANGES = ("UPDATE", "DELETE")


class UnauditedWrite(AssertionError):
    """A service marked as audited changed the hospital's data and recorded nothing."""


@dataclass
class _Count:
    writes: int = 0
    events: int = 0


#: the check is switched on for a whole test run or module (a plain flag, not a context
#: variable, so threads a test starts are checked too)
_enabled = [False]
#: the count of the outermost audited call in progress in this thread/context
_current: ContextVar[_Count | None] = ContextVar("hms_audit_count", default=None)


@contextmanager
def checking() -> Iterator[None]:
    previous = _enabled[0]
    _enabled[0] = True
    try:
        yield
    finally:
        _enabled[0] = previous


def _counter(count: _Count) -> Callable[..., Any]:
    def execute(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        statement = sql.lstrip().upper()
        # an INSERT that did not raise added rows (its rowcount is 0 until a RETURNING
        # is read); an UPDATE or DELETE counts only if it changed rows: a conditional
        # UPDATE that refused a move changed nothing to record
        changed = statement.startswith(_INSERTS) or (
            statement.startswith(_CHANGES) and context["cursor"].rowcount != 0
        )
        if changed:
            if AUDIT_TABLE in sql.lower():
                count.events += 1
            else:
                count.writes += 1
        return result

    return execute


def _hospital_alias() -> str | None:
    from apps.audit.models import ClinicalEvent
    from apps.tenancy.exceptions import NoTenantSelected

    try:
        return router.db_for_write(ClinicalEvent)
    except NoTenantSelected:
        return None


def _checked(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    alias = _hospital_alias()
    if alias is None:
        return function(*args, **kwargs)
    count = _Count()
    token = _current.set(count)
    try:
        with connections[alias].execute_wrapper(_counter(count)):
            result = function(*args, **kwargs)
    finally:
        _current.reset(token)
    if count.writes and not count.events:
        raise UnauditedWrite(
            f"{function.__module__}.{function.__qualname__} wrote {count.writes} statement(s) "
            "to the hospital's database and recorded no audit event"
        )
    return result


def audited(*actions: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service as recording ``actions`` (codes of ``apps.audit.actions``)."""
    unknown = [action for action in actions if action not in ACTIONS]
    if unknown or not actions:
        raise ImproperlyConfigured(
            f"audited{actions}: every action needs a label in apps/audit/actions.py "
            f"(missing: {unknown or 'at least one action'})"
        )

    def mark(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def service(*args: P.args, **kwargs: P.kwargs) -> R:
            if not _enabled[0] or _current.get() is not None:
                return function(*args, **kwargs)
            return _checked(function, *args, **kwargs)

        service.audit_actions = actions  # type: ignore[attr-defined]
        return service

    return mark


def audit_actions(function: Callable[..., Any]) -> tuple[str, ...] | None:
    """The actions a service was marked with, or None for an unmarked one."""
    return getattr(function, "audit_actions", None)
