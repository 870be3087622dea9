"""Appointments views: the flow board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.appointments.models import Appointment
from apps.appointments.tests.conftest import TODAY
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_board_lists_todays_appointments_with_the_time_waiting(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    tomorrow = make_appointment(
        hospital_a, doctor=booked.doctor, day=TODAY + timedelta(days=1), at=time(9)
    )
    now = timezone.now()
    with tenant_context(hospital_a):
        # 25 minutes ago, but never before the hospital's midnight (a check-in is today's)
        midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time()))
        checked_in_at = max(now - timedelta(minutes=25), min(midnight, now))
        appointment_check_in(appointment=booked, at=checked_in_at)
    waited = int((now - checked_in_at).total_seconds() // 60)
    page = desk_a.get("/appointments/")
    assert booked.patient.number in page.text
    assert f"{waited} min" in page.text or f"{waited + 1} min" in page.text
    assert f"/appointments/{tomorrow.pk}/" not in page.text
    # polls every 10 s while the tab is visible (the visibility filter is in hms/app.js)
    assert 'hx-trigger="every 10s" data-poll-while-visible' in page.text


def test_the_board_filters_by_doctor_status_and_patient(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, other = make_doctor(hospital_a), make_doctor(hospital_a, name="Dr Rauf Əliyev")
    aysel = register(hospital_a, first_name="Aysel", last_name="Həsənova")
    mine = make_appointment(hospital_a, doctor=doctor, patient=aysel, at=time(0))
    theirs = make_appointment(hospital_a, doctor=other, at=time(1))
    by_doctor = desk_a.get("/appointments/", {"doctor": doctor.pk}).text
    assert (
        f"/appointments/{mine.pk}/" in by_doctor and f"/appointments/{theirs.pk}/" not in by_doctor
    )
    by_name = desk_a.get("/appointments/", {"q": "həsən"}).text
    assert f"/appointments/{mine.pk}/" in by_name and f"/appointments/{theirs.pk}/" not in by_name
    by_number = desk_a.get("/appointments/", {"q": aysel.number}).text
    assert (
        f"/appointments/{mine.pk}/" in by_number and f"/appointments/{theirs.pk}/" not in by_number
    )
    with tenant_context(hospital_a):
        appointment_check_in(appointment=theirs)
    by_status = desk_a.get("/appointments/", {"status": "checked_in"}).text
    assert (
        f"/appointments/{theirs.pk}/" in by_status and f"/appointments/{mine.pk}/" not in by_status
    )


def test_a_wrong_filter_is_ignored_rather_than_failing(desk_a: Client, booked: Appointment) -> None:
    page = desk_a.get("/appointments/", {"doctor": "999", "status": "lost", "date": "soon"})
    assert page.status_code == 200 and f"/appointments/{booked.pk}/" in page.text


def test_the_board_polls_for_its_fragment(desk_a: Client, booked: Appointment) -> None:
    fragment = desk_a.get("/appointments/", HTTP_HX_REQUEST="true")
    assert fragment.text.lstrip().startswith('<div id="board"')
    assert "<html" not in fragment.text and booked.patient.full_name in fragment.text
    assert "<html" in desk_a.get("/appointments/").text


def _complete(hospital: Hospital, appointment: Appointment) -> None:
    from apps.appointments.transitions import appointment_complete, appointment_start_consultation

    with tenant_context(hospital):
        appointment_check_in(appointment=appointment)
        appointment_start_consultation(appointment=appointment)
        appointment_complete(appointment=appointment)


def test_a_completed_visit_on_the_board_links_to_the_patients_invoice(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    waiting = make_appointment(hospital_a, doctor=booked.doctor, at=time(1))
    _complete(hospital_a, booked)
    page = desk_a.get("/appointments/").text
    assert f'href="/billing/patients/{booked.patient_id}/invoice/">Invoice</a>' in page
    assert f"/billing/patients/{waiting.patient_id}/invoice/" not in page
    invoice = desk_a.get(f"/billing/patients/{booked.patient_id}/invoice/")
    assert invoice.status_code == 200


def test_no_invoice_link_for_a_role_outside_billing_or_without_the_module(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    _complete(hospital_a, booked)
    nurse = hospital_client(hospital_a, make_user(hospital_a, Role.NURSE))
    assert "/billing/" not in nurse.get("/appointments/").text
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "billing"]
    hospital_a.save()
    assert "/billing/" not in desk_a.get("/appointments/").text
