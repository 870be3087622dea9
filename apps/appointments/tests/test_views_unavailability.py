"""Appointments views: unavailability."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.test import Client

from apps.appointments import services
from apps.appointments.models import DoctorUnavailability, UnavailabilityKind
from apps.appointments.tests.conftest import HTMX
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import NEXT_WEEK, at
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_an_administrator_blocks_an_afternoon_and_sees_the_collisions(
    hospital_a: Hospital, client_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    colliding = make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(14))
    response = client_a.post(
        "/appointments/unavailability/add/",
        {
            "doctor": doctor.pk,
            "kind": UnavailabilityKind.BLOCKED,
            "date_from": NEXT_WEEK.isoformat(),
            "time_from": "13:00",
            "date_to": NEXT_WEEK.isoformat(),
            "time_to": "17:00",
            "reason": "Conference",
        },
    )
    assert response.status_code == 302
    with tenant_context(hospital_a):
        period = DoctorUnavailability.objects.get()
    assert period.starts_at == at(NEXT_WEEK, 13) and period.ends_at == at(NEXT_WEEK, 17)
    detail = client_a.get(response["Location"])
    assert colliding.patient.full_name in detail.text and "1 appointment was booked" in detail.text
    listing = client_a.get("/appointments/unavailability/")
    assert f"/appointments/unavailability/{period.pk}/" in listing.text


def test_whole_days_are_blocked_when_no_times_are_given(
    hospital_a: Hospital, client_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    client_a.post(
        "/appointments/unavailability/add/",
        {
            "doctor": doctor.pk,
            "kind": UnavailabilityKind.LEAVE,
            "date_from": NEXT_WEEK.isoformat(),
            "date_to": (NEXT_WEEK + timedelta(days=2)).isoformat(),
        },
    )
    with tenant_context(hospital_a):
        period = DoctorUnavailability.objects.get()
    assert period.starts_at == at(NEXT_WEEK, 0)
    assert period.ends_at == at(NEXT_WEEK + timedelta(days=3), 0)


def test_a_period_ending_before_it_starts_is_refused_next_to_the_field(
    hospital_a: Hospital, client_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    response = client_a.post(
        "/appointments/unavailability/add/",
        {
            "doctor": doctor.pk,
            "kind": UnavailabilityKind.BLOCKED,
            "date_from": NEXT_WEEK.isoformat(),
            "time_from": "15:00",
            "date_to": NEXT_WEEK.isoformat(),
            "time_to": "13:00",
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<div id="unavailability-form"')
    assert re.search(r'id="id_time_to_error">The end must be after the start', response.text)
    with tenant_context(hospital_a):
        assert not DoctorUnavailability.objects.exists()


def test_removing_an_unavailability_frees_the_doctor(
    hospital_a: Hospital, client_a: Client
) -> None:
    with tenant_context(hospital_a):
        period = services.unavailability_create(
            doctor=make_doctor(hospital_a),
            kind=UnavailabilityKind.LEAVE,
            starts_at=at(NEXT_WEEK, 9),
            ends_at=at(NEXT_WEEK, 12),
        )
    response = client_a.post(f"/appointments/unavailability/{period.pk}/delete/")
    assert response.status_code == 302
    with tenant_context(hospital_a):
        assert not DoctorUnavailability.objects.exists()


@pytest.mark.parametrize("doctor", ["abc", "999", "1"])
def test_the_unavailability_form_takes_a_doctor_from_the_address(
    hospital_a: Hospital, client_a: Client, doctor: str
) -> None:
    make_doctor(hospital_a)
    page = client_a.get("/appointments/unavailability/add/", {"doctor": doctor})
    assert page.status_code == 200
    assert ('<option value="1" selected>' in page.text) == (doctor == "1")


def test_a_holiday_blocks_every_active_doctor_at_once(
    hospital_a: Hospital, client_a: Client
) -> None:
    doctors = [make_doctor(hospital_a), make_doctor(hospital_a, name="Dr Rauf Əliyev")]
    retired = make_doctor(hospital_a, name="Dr Old")
    with tenant_context(hospital_a):
        retired.is_active = False
        retired.save()
    holiday = {
        "every_doctor": "on",
        "kind": UnavailabilityKind.HOLIDAY,
        "date_from": NEXT_WEEK.isoformat(),
        "date_to": NEXT_WEEK.isoformat(),
    }
    response = client_a.post("/appointments/unavailability/add/", holiday)
    assert response.status_code == 302
    assert response["Location"] == "/appointments/unavailability/"
    with tenant_context(hospital_a):
        blocked = set(DoctorUnavailability.objects.values_list("doctor_id", flat=True))
    assert blocked == {d.pk for d in doctors}


def test_a_period_needs_one_doctor_or_every_doctor(hospital_a: Hospital, client_a: Client) -> None:
    doctor = make_doctor(hospital_a)
    period = {"kind": "leave", "date_from": NEXT_WEEK.isoformat(), "date_to": NEXT_WEEK.isoformat()}
    neither = client_a.post("/appointments/unavailability/add/", period)
    assert neither.status_code == 400
    assert re.search(r'id="id_doctor_error">Choose a doctor, or every doctor', neither.text)
    both = client_a.post(
        "/appointments/unavailability/add/", {**period, "doctor": doctor.pk, "every_doctor": "on"}
    )
    assert both.status_code == 400 and "not both" in both.text
    with tenant_context(hospital_a):
        assert not DoctorUnavailability.objects.exists()
