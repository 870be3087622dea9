"""The at-once tests again, on a PostgreSQL hospital database: there nothing
serialises whole transactions (no IMMEDIATE), so each must hold by its row locks
(fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

from apps.billing.tests import test_services as on_sqlite
from apps.patients.tests import pg

hospital_a = pg.hospital_a_on_postgresql


test_the_hospital_database_is_postgresql = pg.test_the_hospital_database_is_postgresql

in_a = on_sqlite.in_a
patient = on_sqlite.patient

test_two_cashiers_invoicing_the_same_items_at_once_make_one_invoice = (
    on_sqlite.test_two_cashiers_invoicing_the_same_items_at_once_make_one_invoice
)
test_two_cashiers_paying_the_same_balance_at_once_take_it_once = (
    on_sqlite.test_two_cashiers_paying_the_same_balance_at_once_take_it_once
)
test_two_cashiers_issuing_one_draft_at_once_number_it_once = (
    on_sqlite.test_two_cashiers_issuing_one_draft_at_once_number_it_once
)
