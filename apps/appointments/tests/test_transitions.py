from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from apps.appointments.models import AppointmentKind, AppointmentStatus
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import (
    CONSULTATION_SOURCE,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_mark_no_show,
    appointment_start_consultation,
)
from apps.core import billable
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_an_appointment_goes_from_scheduled_to_completed(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    with tenant_context(hospital_a):
        appointment_check_in(appointment=appointment)
        assert appointment.status == AppointmentStatus.CHECKED_IN
        assert appointment.checked_in_at is not None
        appointment_start_consultation(appointment=appointment)
        assert appointment.status == AppointmentStatus.IN_CONSULTATION
        appointment_complete(appointment=appointment)
        assert appointment.status == AppointmentStatus.COMPLETED
        assert appointment.completed_at is not None


def test_statuses_never_move_backwards_or_skip(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    with tenant_context(hospital_a):
        with pytest.raises(Conflict):
            appointment_start_consultation(appointment=appointment)
        with pytest.raises(Conflict):
            appointment_complete(appointment=appointment)
        appointment_check_in(appointment=appointment)
        with pytest.raises(Conflict):
            appointment_check_in(appointment=appointment)
        with pytest.raises(Conflict):
            appointment_cancel(appointment=appointment, reason="changed mind")
        with pytest.raises(Conflict):
            appointment_mark_no_show(appointment=appointment)
        assert appointment.status == AppointmentStatus.CHECKED_IN


def test_check_in_numbers_the_doctors_queue_of_the_day(hospital_a: Hospital) -> None:
    doctor, other_doctor = make_doctor(hospital_a), make_doctor(hospital_a, name="Dr Rauf Əliyev")
    first = make_appointment(hospital_a, doctor=doctor)
    walk_in = make_appointment(hospital_a, doctor=doctor, kind=AppointmentKind.WALK_IN)
    elsewhere = make_appointment(hospital_a, doctor=other_doctor)
    with tenant_context(hospital_a):
        assert appointment_check_in(appointment=walk_in).queue_number == 1
        assert appointment_check_in(appointment=first).queue_number == 2
        assert appointment_check_in(appointment=elsewhere).queue_number == 1


def test_only_todays_appointments_can_be_checked_in(hospital_a: Hospital) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a), day=tomorrow)
    with tenant_context(hospital_a), pytest.raises(ValidationError):
        appointment_check_in(appointment=appointment)


def test_cancelling_needs_a_reason_and_withdraws_the_fee(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    heard: list[tuple[str, str]] = []

    def handler(*, source: str, reference: str) -> None:
        heard.append((source, reference))

    billable.register_withdraw_handler(handler)
    try:
        with tenant_context(hospital_a):
            with pytest.raises(ValidationError):
                appointment_cancel(appointment=appointment, reason="  ")
            appointment_cancel(appointment=appointment, reason="Patient called")
    finally:
        billable.unregister_withdraw_handler(handler)
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancel_reason == "Patient called"
    assert heard == [(CONSULTATION_SOURCE, str(appointment.pk))]


def test_a_refused_withdrawal_leaves_the_appointment_scheduled(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))

    def refuse(*, source: str, reference: str) -> None:
        raise Conflict("on an issued invoice")

    billable.register_withdraw_handler(refuse)
    try:
        with tenant_context(hospital_a), pytest.raises(Conflict):
            appointment_cancel(appointment=appointment, reason="Patient called")
    finally:
        billable.unregister_withdraw_handler(refuse)
    with tenant_context(hospital_a):
        appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED


def test_two_desks_checking_in_at_once_get_distinct_queue_numbers(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    appointments = [make_appointment(hospital_a, doctor=doctor) for _ in range(6)]
    desks = [partial(appointment_check_in, appointment=appointment) for appointment in appointments]
    with tenant_context(hospital_a):
        outcomes = run_at_once(*desks)
    assert [outcome.error for outcome in outcomes] == [None] * len(appointments)
    with tenant_context(hospital_a):
        for appointment in appointments:
            appointment.refresh_from_db()
    assert sorted(a.queue_number or 0 for a in appointments) == [1, 2, 3, 4, 5, 6]
