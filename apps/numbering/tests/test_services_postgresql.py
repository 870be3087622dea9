"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

import pytest

from apps.numbering.tests import test_services as on_sqlite
from apps.patients.tests import pg
from apps.tenancy.models import Hospital


@pytest.fixture
def hospital_a(hospital_a: Hospital, request: pytest.FixtureRequest) -> Hospital:
    pg.on_postgresql(hospital_a, request)
    return hospital_a


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_threads_allocating_at_once_never_share_a_number = (
    on_sqlite.test_threads_allocating_at_once_never_share_a_number
)
