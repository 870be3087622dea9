"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.consultations.tests import test_services as on_sqlite
from apps.patients.tests import pg

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_two_clicks_opening_one_patient_at_once_make_one_consultation = (
    on_sqlite.test_two_clicks_opening_one_patient_at_once_make_one_consultation
)
test_two_follow_ups_booked_at_once_take_different_slots = (
    on_sqlite.test_two_follow_ups_booked_at_once_take_different_slots
)
test_an_edit_racing_the_completion_lands_before_it_or_is_refused = (
    on_sqlite.test_an_edit_racing_the_completion_lands_before_it_or_is_refused
)
