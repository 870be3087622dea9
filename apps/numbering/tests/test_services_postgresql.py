"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.numbering.tests import test_services as on_sqlite
from apps.patients.tests import pg

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_threads_allocating_at_once_never_share_a_number = (
    on_sqlite.test_threads_allocating_at_once_never_share_a_number
)
