"""Registrations at once, again on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: pg.py)."""

from __future__ import annotations

from apps.patients.tests import pg
from apps.patients.tests import test_services as on_sqlite

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_concurrent_registrations_never_share_a_number = (
    on_sqlite.test_concurrent_registrations_never_share_a_number
)
test_two_identical_registrations_at_the_same_moment_register_one_person = (
    on_sqlite.test_two_identical_registrations_at_the_same_moment_register_one_person
)
test_a_confirmed_registration_sent_twice_at_once_registers_one_more_person = (
    on_sqlite.test_a_confirmed_registration_sent_twice_at_once_registers_one_more_person
)
