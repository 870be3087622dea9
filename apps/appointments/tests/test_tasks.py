from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.appointments import tasks
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import HospitalFactory
from worker import app
from worker.beat import beat_schedule


@pytest.fixture
def eager() -> Iterator[None]:
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def statuses(hospital: Hospital) -> list[str]:
    with tenant_context(hospital):
        return list(Appointment.objects.values_list("status", flat=True))


def test_the_beat_marks_yesterdays_unattended_appointments_in_every_ready_hospital(
    eager: None, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    for hospital in (hospital_a, hospital_b):
        make_appointment(hospital, doctor=make_doctor(hospital), day=yesterday)
    tasks.mark_no_shows_everywhere.delay()
    assert statuses(hospital_a) == [AppointmentStatus.NO_SHOW]
    assert statuses(hospital_b) == [AppointmentStatus.NO_SHOW]


def test_a_hospital_not_ready_is_left_alone(
    eager: None, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    make_appointment(hospital_b, doctor=make_doctor(hospital_b), day=yesterday)
    Hospital.objects.filter(pk=hospital_b.pk).update(status=Hospital.Status.FAILED)
    tasks.mark_no_shows_everywhere.delay()
    assert statuses(hospital_b) == [AppointmentStatus.SCHEDULED]


def test_the_hospitals_task_selects_the_hospital_it_names(
    eager: None, hospital_a: Hospital
) -> None:
    make_appointment(
        hospital_a, doctor=make_doctor(hospital_a), day=timezone.localdate() - timedelta(days=2)
    )
    assert tasks.mark_no_shows.delay(hospital_id=str(hospital_a.pk)).get() == 1
    assert statuses(hospital_a) == [AppointmentStatus.NO_SHOW]


def test_the_no_show_job_is_on_the_beat_schedule() -> None:
    entry = beat_schedule()["mark-appointment-no-shows"]
    assert entry["task"] == tasks.mark_no_shows_everywhere.name


def test_no_shows_follow_each_hospitals_clock(eager: None, make_hospital: HospitalFactory) -> None:
    """At 00:30 UTC on the 8th it is 04:30 on the 8th in Baku, where the 7th is over,
    and 19:30 on the 7th in New York, where the day's patients may still come."""
    baku = make_hospital(subdomain="baku", time_zone="Asia/Baku")
    new_york = make_hospital(subdomain="hudson", time_zone="America/New_York")
    for hospital in (baku, new_york):
        make_appointment(hospital, doctor=make_doctor(hospital), day=date(2026, 12, 7))
    just_after_midnight_utc = datetime(2026, 12, 8, 0, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=just_after_midnight_utc):
        tasks.mark_no_shows_everywhere.delay()
    assert statuses(baku) == [AppointmentStatus.NO_SHOW]
    assert statuses(new_york) == [AppointmentStatus.SCHEDULED]


def test_the_no_show_job_runs_every_hour_for_midnights_at_every_utc_hour() -> None:
    schedule = beat_schedule()["mark-appointment-no-shows"]["schedule"]
    assert len(schedule.hour) == 24 and schedule.minute == {15}
