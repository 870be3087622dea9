"""Appointments views: one appointment."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal

from django.test import Client

from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.tests.conftest import HTMX, TODAY, reload
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import NEXT_WEEK, at
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_detail_page_and_its_fragment(desk_a: Client, booked: Appointment) -> None:
    page = desk_a.get(f"/appointments/{booked.pk}/")
    assert page.status_code == 200 and "<html" in page.text and "Check in" in page.text
    fragment = desk_a.get(f"/appointments/{booked.pk}/", **HTMX)
    assert fragment.text.lstrip().startswith('<article id="appointment"')


def test_the_detail_page_shows_the_fee_in_the_hospitals_currency(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    # found by the outpatient-day e2e: the fee read as a bare "30.00"
    with tenant_context(hospital_a):
        Appointment.objects.filter(pk=booked.pk).update(consultation_fee=Decimal("1234.5"))
    page = desk_a.get(f"/appointments/{booked.pk}/")
    assert "<dd>1,234.50\xa0AZN</dd>" in page.text


def test_checking_in_from_the_board_returns_to_the_board(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    response = desk_a.post(
        f"/appointments/{booked.pk}/check-in/", {"next": "/appointments/?status=scheduled"}
    )
    assert response.status_code == 302 and response["Location"] == "/appointments/?status=scheduled"
    appointment = reload(hospital_a, booked)
    assert appointment.status == AppointmentStatus.CHECKED_IN and appointment.queue_number == 1


def test_an_action_never_returns_to_another_site(desk_a: Client, booked: Appointment) -> None:
    response = desk_a.post(
        f"/appointments/{booked.pk}/check-in/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/appointments/{booked.pk}/"


def test_a_refused_move_is_shown_as_a_message(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    desk_a.post(f"/appointments/{booked.pk}/check-in/")
    response = desk_a.post(f"/appointments/{booked.pk}/check-in/", follow=True)
    assert "cannot become Checked in" in response.text


def test_cancelling_needs_a_reason_next_to_the_field(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    response = desk_a.post(f"/appointments/{booked.pk}/cancel/", {"reason": ""}, **HTMX)
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<article id="appointment"')
    assert re.search(r'id="id_reason_error">Say why the appointment is cancelled', response.text)
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED
    response = desk_a.post(f"/appointments/{booked.pk}/cancel/", {"reason": "Patient called"})
    assert response.status_code == 302
    assert reload(hospital_a, booked).cancel_reason == "Patient called"


def test_a_future_appointment_cannot_be_a_no_show(hospital_a: Hospital, desk_a: Client) -> None:
    future = make_appointment(hospital_a, doctor=make_doctor(hospital_a), day=NEXT_WEEK)
    response = desk_a.post(f"/appointments/{future.pk}/no-show/", follow=True)
    assert "has not started yet" in response.text
    assert reload(hospital_a, future).status == AppointmentStatus.SCHEDULED


def test_a_begun_appointment_becomes_a_no_show(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    assert desk_a.post(f"/appointments/{booked.pk}/no-show/").status_code == 302
    assert reload(hospital_a, booked).status == AppointmentStatus.NO_SHOW


def test_a_no_show_is_rescheduled_back_to_scheduled(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    desk_a.post(f"/appointments/{booked.pk}/no-show/")
    page = desk_a.get(f"/appointments/{booked.pk}/reschedule/", {"date": NEXT_WEEK.isoformat()})
    assert page.status_code == 200 and 'value="10:00" class="slot free"' in page.text
    response = desk_a.post(
        f"/appointments/{booked.pk}/reschedule/", {"date": NEXT_WEEK.isoformat(), "time": "10:00"}
    )
    assert response.status_code == 302
    appointment = reload(hospital_a, booked)
    assert appointment.status == AppointmentStatus.SCHEDULED
    assert appointment.starts_at == at(NEXT_WEEK, 10)


def test_rescheduling_into_a_taken_slot_says_why_next_to_the_grid(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    make_appointment(hospital_a, doctor=booked.doctor, day=NEXT_WEEK, at=time(10))
    response = desk_a.post(
        f"/appointments/{booked.pk}/reschedule/",
        {"date": NEXT_WEEK.isoformat(), "time": "10:00"},
        **HTMX,
    )
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<div id="reschedule-grid"')
    assert re.search(r'id="id_time_error">[^<]*already sees', response.text)
    assert reload(hospital_a, booked).starts_at == at(TODAY, 0)


def test_an_htmx_cancel_redirects_the_client_to_the_appointment(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    response = desk_a.post(f"/appointments/{booked.pk}/cancel/", {"reason": "Ill"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/appointments/{booked.pk}/"
    assert reload(hospital_a, booked).status == AppointmentStatus.CANCELLED
