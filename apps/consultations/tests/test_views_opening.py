"""Consultations views: opening."""

from __future__ import annotations

from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment
from apps.consultations.models import Consultation
from apps.consultations.tests.conftest import HTMX, Clinic
from apps.tenancy.context import tenant_context


def test_opening_moves_the_patient_into_consultation(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/")
    with tenant_context(clinic.hospital):
        consultation = Consultation.objects.get(appointment=appointment)
        assert Appointment.objects.get(pk=appointment.pk).status == "in_consultation"
    assert response.status_code == 302
    assert response["Location"] == f"/consultations/{consultation.pk}/"


def test_opening_with_htmx_redirects_the_browser(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/consultations/")


def test_a_patient_not_checked_in_cannot_be_opened(clinic: Clinic) -> None:
    appointment = make_appointment(clinic.hospital, doctor=clinic.doctor)
    response = clinic.client().post(f"/consultations/visits/{appointment.pk}/open/", follow=True)
    assert "cannot become" in response.text
    with tenant_context(clinic.hospital):
        assert not Consultation.objects.exists()
