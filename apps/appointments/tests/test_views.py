from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.appointments import services
from apps.appointments.models import (
    Appointment,
    AppointmentStatus,
    ConflictPolicy,
    DoctorUnavailability,
    UnavailabilityKind,
)
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.tests.test_services import ALL_DAY, NEXT_WEEK, at
from apps.appointments.transitions import appointment_check_in
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


@pytest.fixture
def desk_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


@pytest.fixture
def booked(hospital_a: Hospital) -> Appointment:
    """Today's appointment at midnight: already begun, so every action applies."""
    return make_appointment(hospital_a, doctor=make_doctor(hospital_a), at=time(0))


def reload(hospital: Hospital, appointment: Appointment) -> Appointment:
    with tenant_context(hospital):
        appointment.refresh_from_db()
    return appointment


def slot_post(patient, doctor, *, day=NEXT_WEEK, at_time="10:00", **extra) -> dict[str, Any]:
    return {
        "patient": str(patient.pk),
        "doctor": str(doctor.pk),
        "date": day.isoformat(),
        "time": at_time,
        "kind": "scheduled",
        **extra,
    }


def appointment_urls(appointment_id: object) -> dict[str, tuple[str, str]]:
    """Every per-appointment URL with the method that does something there."""
    base = f"/appointments/{appointment_id}/"
    return {
        "detail": ("get", base),
        "check_in": ("post", f"{base}check-in/"),
        "cancel": ("post", f"{base}cancel/"),
        "no_show": ("post", f"{base}no-show/"),
        "reschedule": ("get", f"{base}reschedule/"),
    }


# -- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.DOCTOR, Role.NURSE])
def test_the_front_desk_doctors_and_nurses_see_the_board(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/appointments/").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.ACCOUNTANT, Role.PHARMACIST, Role.LAB_TECHNICIAN, Role.PATIENT]
)
def test_other_roles_may_not_use_appointments(
    hospital_a: Hospital, booked: Appointment, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/appointments/").status_code == 403
    assert client.get("/appointments/book/").status_code == 403
    assert client.get(f"/appointments/{booked.pk}/").status_code == 403


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE])
def test_clinicians_look_but_do_not_book_or_move_appointments(
    hospital_a: Hospital, booked: Appointment, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    board = client.get("/appointments/")
    assert booked.patient.full_name in board.text
    assert "Book appointment" not in board.text and "check-in/" not in board.text
    assert client.get(f"/appointments/{booked.pk}/").status_code == 200
    assert client.get("/appointments/book/").status_code == 403
    assert client.post(f"/appointments/{booked.pk}/check-in/").status_code == 403
    assert client.post(f"/appointments/{booked.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


@pytest.mark.parametrize(
    "path",
    [
        "/appointments/unavailability/",
        "/appointments/unavailability/add/",
        "/appointments/settings/",
    ],
)
def test_unavailability_and_rules_are_for_administrators(
    hospital_a: Hospital, desk_a: Client, client_a: Client, path: str
) -> None:
    assert desk_a.get(path).status_code == 403
    assert client_a.get(path).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/appointments/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/appointments/",
        "/appointments/book/",
        "/appointments/book/patients/?q=a",
        "/appointments/unavailability/",
        "/appointments/settings/",
    ],
)
def test_a_user_of_another_hospital_is_refused(
    hospital_a: Hospital, admin_b: User, path: str
) -> None:
    assert hospital_client(hospital_a, admin_b).get(path).status_code == 403


def test_another_hospitals_user_cannot_act_on_an_appointment(
    hospital_a: Hospital, admin_b: User, booked: Appointment
) -> None:
    client = hospital_client(hospital_a, admin_b)
    for method, url in appointment_urls(booked.pk).values():
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 403
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


def test_an_appointment_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client, booked: Appointment
) -> None:
    for method, url in appointment_urls(booked.pk).values():
        assert getattr(client_b, method)(url, {"reason": "x"}).status_code == 404, url
    response = client_b.post(
        f"/appointments/{booked.pk}/reschedule/", {"date": NEXT_WEEK.isoformat(), "time": "10:00"}
    )
    assert response.status_code == 404
    assert reload(hospital_a, booked).status == AppointmentStatus.SCHEDULED


def test_a_doctor_or_patient_of_hospital_a_cannot_be_booked_on_hospital_bs_host(
    hospital_a: Hospital, hospital_b: Hospital, client_b: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_doctor(hospital_b)  # same id in B's database may exist; the patient does not
    response = client_b.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert response.status_code == 400
    with tenant_context(hospital_b):
        assert not Appointment.objects.exists()


def test_an_unavailability_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client
) -> None:
    with tenant_context(hospital_a):
        period = services.unavailability_create(
            doctor=make_doctor(hospital_a),
            kind=UnavailabilityKind.LEAVE,
            starts_at=at(NEXT_WEEK, 9),
            ends_at=at(NEXT_WEEK, 12),
        )
    assert client_b.get(f"/appointments/unavailability/{period.pk}/").status_code == 404
    assert client_b.post(f"/appointments/unavailability/{period.pk}/delete/").status_code == 404
    with tenant_context(hospital_a):
        assert DoctorUnavailability.objects.filter(pk=period.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/appointments/"),
        ("post", "/appointments/book/"),
        ("get", "/appointments/book/slot/"),
        ("get", "/appointments/book/walk-in/"),
        ("post", "/appointments/unavailability/"),
        ("delete", "/appointments/settings/"),
        ("put", "/appointments/unavailability/add/"),
    ],
)
def test_wrong_methods_are_refused(client_a: Client, method: str, path: str) -> None:
    assert getattr(client_a, method)(path).status_code == 405


def test_wrong_methods_on_an_appointment_are_refused(client_a: Client, booked: Appointment) -> None:
    base = f"/appointments/{booked.pk}/"
    assert client_a.post(base).status_code == 405
    for action in ("check-in/", "cancel/", "no-show/"):
        assert client_a.get(base + action).status_code == 405
    assert client_a.delete(base + "reschedule/").status_code == 405


# -- the flow board ----------------------------------------------------------------------


def test_the_board_lists_todays_appointments_with_the_time_waiting(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    tomorrow = make_appointment(
        hospital_a, doctor=booked.doctor, day=TODAY + timedelta(days=1), at=time(9)
    )
    with tenant_context(hospital_a):
        appointment_check_in(appointment=booked, at=timezone.now() - timedelta(minutes=25))
    page = desk_a.get("/appointments/")
    assert booked.patient.number in page.text
    assert "25 min" in page.text
    assert f"/appointments/{tomorrow.pk}/" not in page.text
    assert "hx-trigger=\"every 10s [document.visibilityState === 'visible']\"" in page.text


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


# -- booking ---------------------------------------------------------------------------------


def test_the_booking_page_shows_the_grid_with_taken_slots_not_choosable(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(9, 20))
    page = desk_a.get(
        "/appointments/book/",
        {"patient": str(patient.pk), "doctor": str(doctor.pk), "date": NEXT_WEEK.isoformat()},
    )
    assert page.status_code == 200
    assert 'value="09:20" class="slot taken" disabled>' in page.text
    assert 'value="09:40" class="slot free">' in page.text


def test_the_booking_page_answers_htmx_with_the_booking_fragment(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    fragment = desk_a.get("/appointments/book/", {"doctor": doctor.pk}, **HTMX)
    assert fragment.text.lstrip().startswith('<div id="booking"') and "<html" not in fragment.text
    assert 'class="slot' in fragment.text


def test_the_patient_picker_finds_patients_and_keeps_the_doctor_and_day(
    hospital_a: Hospital, desk_a: Client
) -> None:
    patient = register(hospital_a, first_name="Aysel")
    fragment = desk_a.get(
        "/appointments/book/patients/", {"q": "aysel", "doctor": "3", "date": "2030-01-02"}, **HTMX
    )
    assert fragment.text.lstrip().startswith('<div id="patient-results"')
    assert f"patient={patient.pk}" in fragment.text and "doctor=3" in fragment.text
    assert "<html" in desk_a.get("/appointments/book/patients/", {"q": "aysel"}).text


def test_a_receptionist_books_a_free_slot(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, reason="Cough"))
    with tenant_context(hospital_a):
        appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    assert appointment.starts_at == at(NEXT_WEEK, 10) and appointment.reason == "Cough"


def test_an_htmx_booking_redirects_the_client(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor), **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/appointments/")


def test_a_taken_slot_is_refused_with_the_reason_next_to_the_grid(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert response.status_code == 400
    assert re.search(r'id="id_time_error">[^<]*already sees', response.text)
    with tenant_context(hospital_a):
        assert Appointment.objects.count() == 1


def test_a_bad_time_is_reported_next_to_the_field(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    response = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, at_time="25:99"))
    assert response.status_code == 400 and 'id="id_time_error"' in response.text


def test_a_booking_without_a_patient_says_so(hospital_a: Hospital, desk_a: Client) -> None:
    doctor = make_doctor(hospital_a)
    data = {**slot_post(register(hospital_a), doctor), "patient": ""}
    response = desk_a.post("/appointments/book/slot/", data)
    assert response.status_code == 400 and "Choose the patient first." in response.text


def test_a_warned_clash_asks_for_a_confirmation_then_books(
    hospital_a: Hospital, desk_a: Client
) -> None:
    with tenant_context(hospital_a):
        services.appointment_settings_update(conflict_policy=ConflictPolicy.WARN)
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    make_appointment(hospital_a, doctor=doctor, day=NEXT_WEEK, at=time(10))
    warned = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor))
    assert warned.status_code == 200 and "Book anyway" in warned.text
    assert 'name="confirm" value="on"' in warned.text
    confirmed = desk_a.post("/appointments/book/slot/", slot_post(patient, doctor, confirm="on"))
    assert confirmed.status_code == 302
    with tenant_context(hospital_a):
        assert Appointment.objects.filter(patient=patient).count() == 1


def test_a_walk_in_joins_the_queue_from_the_booking_page(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    page = desk_a.get("/appointments/book/", {"patient": str(patient.pk), "doctor": str(doctor.pk)})
    assert "/appointments/book/walk-in/" in page.text
    response = desk_a.post(
        "/appointments/book/walk-in/", {"patient": patient.pk, "doctor": doctor.pk}
    )
    assert response.status_code == 302
    with tenant_context(hospital_a):
        walk_in = Appointment.objects.get()
    assert walk_in.status == AppointmentStatus.CHECKED_IN and walk_in.queue_number == 1


def test_a_refused_walk_in_says_why(hospital_a: Hospital, desk_a: Client) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    now = timezone.now()
    with tenant_context(hospital_a):
        services.unavailability_create(
            doctor=doctor,
            kind=UnavailabilityKind.LEAVE,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        )
    response = desk_a.post(
        "/appointments/book/walk-in/", {"patient": patient.pk, "doctor": doctor.pk}
    )
    assert response.status_code == 400 and "is unavailable (Leave)" in response.text


def test_the_patients_and_doctors_pages_link_to_booking(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    assert (
        f"/appointments/book/?patient={patient.pk}" in desk_a.get(f"/patients/{patient.pk}/").text
    )
    assert f"/appointments/book/?doctor={doctor.pk}" in desk_a.get(f"/doctors/{doctor.pk}/").text


# -- one appointment ------------------------------------------------------------------------


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


# -- unavailability --------------------------------------------------------------------------


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


# -- the booking rules --------------------------------------------------------------------


def test_an_administrator_switches_clashes_to_warnings(
    hospital_a: Hospital, client_a: Client
) -> None:
    response = client_a.post("/appointments/settings/", {"conflict_policy": "warn"})
    assert response.status_code == 302
    page = client_a.get("/appointments/settings/")
    assert re.search(r'value="warn"[^>]*checked', page.text)


def test_an_unknown_rule_is_refused_next_to_the_field(client_a: Client) -> None:
    response = client_a.post("/appointments/settings/", {"conflict_policy": "maybe"}, **HTMX)
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<div id="settings-form"')
    assert 'id="id_conflict_policy_error"' in response.text


def test_an_unknown_doctor_is_reported_not_a_server_error(
    hospital_a: Hospital, desk_a: Client
) -> None:
    patient = register(hospital_a)
    response = desk_a.post(
        "/appointments/book/slot/", {**slot_post(patient, make_doctor(hospital_a)), "doctor": "999"}
    )
    assert response.status_code == 400 and 'id="id_doctor_error"' in response.text
    with tenant_context(hospital_a):
        assert not Appointment.objects.exists()


@pytest.mark.parametrize("doctor", ["abc", "999", "1"])
def test_the_unavailability_form_takes_a_doctor_from_the_address(
    hospital_a: Hospital, client_a: Client, doctor: str
) -> None:
    make_doctor(hospital_a)
    page = client_a.get("/appointments/unavailability/add/", {"doctor": doctor})
    assert page.status_code == 200
    assert ('<option value="1" selected>' in page.text) == (doctor == "1")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2020-02-30"])
def test_days_beyond_reach_are_refused_not_a_server_error(
    hospital_a: Hospital, client_a: Client, booked: Appointment, day: str
) -> None:
    doctor, patient = booked.doctor, register(hospital_a)
    page = client_a.get("/appointments/book/", {"doctor": str(doctor.pk), "date": day})
    assert page.status_code == 200 and 'class="slot' not in page.text
    assert client_a.get("/appointments/", {"date": day}).status_code == 200
    assert client_a.get(f"/appointments/{booked.pk}/reschedule/", {"date": day}).status_code == 200
    booking = {**slot_post(patient, doctor), "date": day, "time": "23:59"}
    assert client_a.post("/appointments/book/slot/", booking).status_code == 400
    moved = client_a.post(f"/appointments/{booked.pk}/reschedule/", {"date": day, "time": "23:59"})
    assert moved.status_code == 400
    period = {"doctor": doctor.pk, "kind": "leave", "date_from": day, "date_to": day}
    assert client_a.post("/appointments/unavailability/add/", period).status_code == 400
    with tenant_context(hospital_a):
        assert Appointment.objects.count() == 1 and not DoctorUnavailability.objects.exists()


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


def test_another_hospitals_user_cannot_book_on_this_host(
    hospital_a: Hospital, admin_b: User
) -> None:
    doctor, patient = make_doctor(hospital_a), register(hospital_a)
    client = hospital_client(hospital_a, admin_b)
    assert client.post("/appointments/book/slot/", slot_post(patient, doctor)).status_code == 403
    walk_in = {"patient": str(patient.pk), "doctor": str(doctor.pk)}
    assert client.post("/appointments/book/walk-in/", walk_in).status_code == 403
    with tenant_context(hospital_a):
        assert not Appointment.objects.exists()


def test_an_htmx_cancel_redirects_the_client_to_the_appointment(
    hospital_a: Hospital, desk_a: Client, booked: Appointment
) -> None:
    response = desk_a.post(f"/appointments/{booked.pk}/cancel/", {"reason": "Ill"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/appointments/{booked.pk}/"
    assert reload(hospital_a, booked).status == AppointmentStatus.CANCELLED


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.NURSE])
def test_clinicians_see_no_booking_link_on_a_patients_page(hospital_a: Hospital, role: str) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert "/appointments/book/" not in client.get(f"/patients/{patient.pk}/").text


def test_a_warned_walk_in_is_added_after_a_confirmation(
    hospital_a: Hospital, desk_a: Client
) -> None:
    with tenant_context(hospital_a):
        services.appointment_settings_update(conflict_policy=ConflictPolicy.WARN)
    doctor, patient = make_doctor(hospital_a, hours=ALL_DAY), register(hospital_a)
    walk_in = {"patient": str(patient.pk), "doctor": str(doctor.pk), "reason": "Fever"}
    assert desk_a.post("/appointments/book/walk-in/", walk_in).status_code == 302
    warned = desk_a.post("/appointments/book/walk-in/", walk_in)
    assert warned.status_code == 200 and "Add to the queue anyway" in warned.text
    assert "already in Dr Leyla Məmmədova&#x27;s queue today" in warned.text
    confirmed = desk_a.post("/appointments/book/walk-in/", {**walk_in, "confirm": "on"})
    assert confirmed.status_code == 302
    with tenant_context(hospital_a):
        queue = sorted(n or 0 for n in Appointment.objects.values_list("queue_number", flat=True))
    assert queue == [1, 2]


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
