"""For the submit-once tests of every module: the same form posted twice at the same
moment, from two tabs (two sessions of one user), as real concurrent requests."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

import pytest
from django.http import HttpResponse

from apps.accounts.models import User
from apps.core import submissions
from apps.core.testing import run_at_once
from apps.platform_audit.models import PlatformEvent
from apps.tenancy.models import Hospital
from conftest import hospital_client

Test = TypeVar("Test", bound=Callable[..., None])


def racing(test: Test) -> Test:
    """Mark a test whose requests race through real connections: the platform
    database's rows (users, sessions, the submission's fingerprint) are committed for
    the other thread to see, and the test leaves no platform events behind."""
    marked: Test = pytest.mark.usefixtures("platform_events_kept_out")(test)
    return cast(Test, pytest.mark.django_db(transaction=True)(marked))


@pytest.fixture
def platform_events_kept_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A transactional test ends by emptying the platform database, and its audit log
    refuses deletes by design: the events of making hospitals and signing in (not what
    these tests are about) are not written."""
    monkeypatch.setattr(PlatformEvent, "save", lambda self, *args, **kwargs: None)


def post_at_once(
    hospital: Hospital, user: User, url: str, data: dict[str, Any], **headers: Any
) -> list[Any]:
    """``data`` posted to ``url`` twice at once, by ``user`` signed in in two tabs."""
    tabs = [hospital_client(hospital, user) for _ in range(2)]
    outcomes = run_at_once(*(partial(tab.post, url, data, **headers) for tab in tabs))
    return [outcome.result for outcome in outcomes]


def landed(response: HttpResponse) -> str:
    """Where an answer sends the browser: its redirect, plain or htmx."""
    return response.headers.get("HX-Redirect") or response.headers.get("Location") or ""


@pytest.fixture
def window_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every submission is outside the window: a resubmit is no copy for the guard, so
    only the business state can say it is one."""
    monkeypatch.setattr(submissions, "SUBMISSION_WINDOW", submissions.timedelta(0))
