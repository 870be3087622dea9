"""What appointments give other modules: the consultation fee to billing, entries to the
patient's history, a tile and a series to the dashboard."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import set_urlconf
from django.utils import timezone

from apps.accounts.models import Role
from apps.appointments.billing import source
from apps.appointments.dashboard import series, tiles
from apps.appointments.models import Appointment, AppointmentStatus
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import (
    CONSULTATION_SOURCE,
    appointment_cancel,
    appointment_check_in,
    appointment_mark_no_show,
)
from apps.core.billable import BillableSource, items_total
from apps.core.modules import billable_sources, dashboard_tile_providers
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def test_the_consultation_source_is_declared_to_billing() -> None:
    assert source in billable_sources()
    assert source.key == CONSULTATION_SOURCE == "appointments.consultation"
    checked: BillableSource = source  # the protocol, checked by mypy
    assert checked.label


def test_a_patients_items_are_the_fees_of_appointments_not_cancelled_or_missed(
    hospital_a: Hospital,
) -> None:
    doctor = make_doctor(hospital_a, fee=Decimal("40.00"))
    patient = register(hospital_a)
    kept = make_appointment(hospital_a, doctor=doctor, patient=patient)
    cancelled = make_appointment(hospital_a, doctor=doctor, patient=patient, at=time(11))
    missed = make_appointment(hospital_a, doctor=doctor, patient=patient, at=time(12))
    make_appointment(hospital_a, doctor=doctor)  # someone else's
    with tenant_context(hospital_a):
        Appointment.objects.filter(patient=patient).update(consultation_fee=Decimal("40.00"))
        appointment_cancel(appointment=cancelled, reason="Patient called")
        appointment_mark_no_show(appointment=missed)
        items = list(source.items_for(patient_id=patient.pk))
    assert [item.reference for item in items] == [str(kept.pk)]
    assert items[0].unit_price == Decimal("40.00") and items[0].quantity == 1
    assert items[0].patient_id == patient.pk and items[0].source == CONSULTATION_SOURCE
    assert items_total(items) == Decimal("40.00")


def test_one_item_is_found_by_reference_unless_it_is_not_chargeable(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    kept = make_appointment(hospital_a, doctor=doctor)
    cancelled = make_appointment(hospital_a, doctor=doctor, at=time(11))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=cancelled, reason="Patient called")
        item = source.item(reference=str(kept.pk))
        assert item is not None and item.reference == str(kept.pk)
        assert source.item(reference=str(cancelled.pk)) is None
        assert source.item(reference="not-a-uuid") is None


def test_the_patients_page_shows_their_appointments(hospital_a: Hospital, client_a) -> None:
    appointment = make_appointment(
        hospital_a, doctor=make_doctor(hospital_a, name="Dr Səbinə Quliyeva")
    )
    page = client_a.get(f"/patients/{appointment.patient_id}/")
    assert "Dr Səbinə Quliyeva — Scheduled" in page.text
    assert f"/appointments/{appointment.pk}/" in page.text


def test_the_reception_tile_counts_todays_appointments_and_who_is_waiting(
    hospital_a: Hospital,
) -> None:
    doctor = make_doctor(hospital_a)
    waiting = make_appointment(hospital_a, doctor=doctor, at=time(0))
    make_appointment(hospital_a, doctor=doctor, at=time(1))
    make_appointment(hospital_a, doctor=doctor, day=timezone.localdate() + timedelta(days=1))
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    with tenant_context(hospital_a):
        appointment_check_in(appointment=waiting)
        [tile] = _tiles(hospital_a, receptionist)
    figures = {figure.label: figure.value for figure in tile.figures}
    assert figures["Patients waiting"] == "1"
    assert figures["Scheduled"] == "1" and figures["Checked in"] == "1"
    assert tile.url == "/appointments/"


def test_roles_other_than_reception_get_no_reception_tile(hospital_a: Hospital) -> None:
    for role in (Role.DOCTOR, Role.ACCOUNTANT, Role.PHARMACIST):
        user = make_user(hospital_a, role)
        with tenant_context(hospital_a):
            assert _tiles(hospital_a, user) == []
    admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    with tenant_context(hospital_a):
        assert len(_tiles(hospital_a, admin)) == 1


def _tiles(hospital: Hospital, user):
    # The dashboard runs providers on a hospital's host, whose URLs they link to.
    set_urlconf(settings.HMS_HOSPITAL_URLCONF)
    try:
        assert tiles in dashboard_tile_providers()
        return tiles(hospital=hospital, user=user, today=timezone.localdate())
    finally:
        set_urlconf(None)


def test_the_visits_series_counts_completed_appointments_per_day(hospital_a: Hospital) -> None:
    doctor = make_doctor(hospital_a)
    today = timezone.localdate()
    done = [make_appointment(hospital_a, doctor=doctor, at=time(h)) for h in (9, 10)]
    make_appointment(hospital_a, doctor=doctor, at=time(11))
    with tenant_context(hospital_a):
        Appointment.objects.filter(pk__in=[a.pk for a in done]).update(
            status=AppointmentStatus.COMPLETED
        )
        [visits] = series(start=today - timedelta(days=29), end=today)
    assert visits.values == {today: Decimal(2)} and visits.unit == "count"
