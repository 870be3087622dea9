"""The desks-at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.appointments.tests import test_concurrency as on_sqlite
from apps.appointments.tests import test_transitions as transitions_on_sqlite
from apps.patients.tests import pg

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

test_two_desks_taking_one_slot_at_once_exactly_one_succeeds = (
    on_sqlite.test_two_desks_taking_one_slot_at_once_exactly_one_succeeds
)
test_one_patient_booked_with_two_doctors_at_once_gets_one = (
    on_sqlite.test_one_patient_booked_with_two_doctors_at_once_gets_one
)
test_a_reschedule_and_a_booking_racing_for_one_slot_cannot_both_win = (
    on_sqlite.test_a_reschedule_and_a_booking_racing_for_one_slot_cannot_both_win
)
test_two_desks_checking_in_at_once_get_distinct_queue_numbers = (
    transitions_on_sqlite.test_two_desks_checking_in_at_once_get_distinct_queue_numbers
)
