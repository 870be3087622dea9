"""Appointment pages: the day's flow board, booking from a slot grid (or as a walk-in),
an appointment with its actions (check in, cancel, no-show, reschedule), a doctor's
unavailability and the hospital's booking rules.

Everyone with the module (front desk, doctors, nurses) sees the board and appointments;
the front desk books and moves them; hospital administrators also keep the doctors'
unavailability and the rules.

``board``: the day's flow board; ``booking``: booking and walk-ins; ``appointment``: one
appointment and its actions; ``unavailability`` and ``booking_rules``: administrators'."""

from __future__ import annotations

from apps.accounts.models import Role

#: who books, checks in, cancels and reschedules (hospital administrators always may)
BOOKERS = frozenset({Role.RECEPTIONIST})
