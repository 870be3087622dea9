"""Consultations views: the day list."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import Role
from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.consultations.tests.conftest import HTMX, Clinic
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_a_doctor_sees_own_patients_of_today_in_queue_order(clinic: Clinic) -> None:
    booked_later = make_appointment(clinic.hospital, doctor=clinic.doctor)
    second = clinic.checked_in()
    first_in = make_appointment(clinic.hospital, doctor=clinic.doctor)
    with tenant_context(clinic.hospital):
        Appointment.objects.filter(pk=second.pk).update(queue_number=2)
        Appointment.objects.filter(pk=first_in.pk).update(status="checked_in", queue_number=1)
    others = make_appointment(clinic.hospital, doctor=make_doctor(clinic.hospital, name="Dr Other"))
    tomorrow = make_appointment(
        clinic.hospital, doctor=clinic.doctor, day=timezone.localdate() + timedelta(days=1)
    )
    text = clinic.client().get("/consultations/").text
    positions = [text.index(f"visit-{a.pk}") for a in (first_in, second, booked_later)]
    assert positions == sorted(positions)
    assert f"visit-{others.pk}" not in text and f"visit-{tomorrow.pk}" not in text
    assert "My patients today" in text and "Open consultation" in text


def test_a_nurse_picks_the_doctor_and_htmx_gets_only_the_queue(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    make_doctor(clinic.hospital, name="Dr Second")
    nurse = clinic.client(clinic.nurse)
    assert f"visit-{appointment.pk}" not in nurse.get("/consultations/").text
    fragment = nurse.get(f"/consultations/?doctor={clinic.doctor.pk}", **HTMX)
    assert fragment.status_code == 200
    assert f"visit-{appointment.pk}" in fragment.text and "<html" not in fragment.text
    assert "Open consultation" not in fragment.text  # a nurse records vitals, not notes
    assert "Vitals" in fragment.text


def test_a_doctor_without_a_linked_record_is_told_so(hospital_a: Hospital) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert "not linked to a doctor record" in client.get("/consultations/").text
