"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.admissions.tests import test_services as on_sqlite
from apps.patients.tests import pg

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_two_admissions_racing_for_the_last_bed_one_wins = (
    on_sqlite.test_two_admissions_racing_for_the_last_bed_one_wins
)
test_one_patient_admitted_twice_at_once_gets_one_admission = (
    on_sqlite.test_one_patient_admitted_twice_at_once_gets_one_admission
)
test_a_transfer_and_an_admission_racing_for_one_bed_one_wins = (
    on_sqlite.test_a_transfer_and_an_admission_racing_for_one_bed_one_wins
)
test_two_doctors_requesting_a_bed_for_one_patient_at_once_make_one_request = (
    on_sqlite.test_two_doctors_requesting_a_bed_for_one_patient_at_once_make_one_request
)
