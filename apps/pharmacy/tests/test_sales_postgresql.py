"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.patients.tests import pg
from apps.pharmacy.tests import test_sales as on_sqlite

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_two_sales_racing_for_the_last_units_one_succeeds = (
    on_sqlite.test_two_sales_racing_for_the_last_units_one_succeeds
)
