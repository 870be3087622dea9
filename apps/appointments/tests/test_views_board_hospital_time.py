"""The flow board's "today" is the hospital's day: at 22:30 UTC on the 7th it is
already 02:30 on the 8th in Baku and still 17:30 on the 7th in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from unittest import mock

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.patients.tests.factories import register
from apps.tenancy.models import Hospital
from conftest import HospitalFactory, hospital_client

LATE_EVENING_UTC = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)


def admin_of(hospital: Hospital) -> User:
    return User.objects.get(hospital=hospital, role=Role.HOSPITAL_ADMIN)


def test_todays_board_is_the_hospitals_day_with_times_on_its_clock(
    make_hospital: HospitalFactory,
) -> None:
    baku = make_hospital(subdomain="baku", time_zone="Asia/Baku")
    new_york = make_hospital(subdomain="hudson", time_zone="America/New_York")
    for hospital in (baku, new_york):
        doctor = make_doctor(hospital, hours=(time(0), time(23, 40)))
        make_appointment(
            hospital,
            doctor=doctor,
            patient=register(hospital, last_name="Səkkizinci"),
            day=date(2026, 12, 8),
            at=time(9),
        )
        make_appointment(
            hospital,
            doctor=doctor,
            patient=register(hospital, last_name="Yeddinci"),
            day=date(2026, 12, 7),
            at=time(16),
        )
    with mock.patch("django.utils.timezone.now", return_value=LATE_EVENING_UTC):
        in_baku = hospital_client(baku, admin_of(baku)).get("/appointments/").text
        in_new_york = hospital_client(new_york, admin_of(new_york)).get("/appointments/").text
    assert "Səkkizinci" in in_baku and "Yeddinci" not in in_baku
    assert "Yeddinci" in in_new_york and "Səkkizinci" not in in_new_york
    assert "Updated at 02:30" in in_baku and "Updated at 17:30" in in_new_york
