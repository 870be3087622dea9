"""The runtime half of "a service that changes data writes an audit event", as a pytest
plugin (listed in the root conftest's ``pytest_plugins``): every test runs with the
check of ``apps.audit.auditing`` on, so any test that drives a marked service through a
write that records nothing fails with ``UnauditedWrite`` naming the service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apps.audit.auditing import checking


@pytest.fixture(autouse=True)
def _audit_checked() -> Iterator[None]:
    with checking():
        yield
