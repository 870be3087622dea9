"""Consultations views: vitals."""

from __future__ import annotations

from apps.consultations.models import Vitals
from apps.consultations.tests.conftest import HTMX, Clinic
from apps.tenancy.context import tenant_context


def test_a_nurse_records_vitals_and_the_bmi_is_computed(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    response = clinic.client(clinic.nurse).post(url, {"weight": "80", "height": "180"})
    assert response.status_code == 302
    with tenant_context(clinic.hospital):
        [vitals] = Vitals.objects.all()
    assert str(vitals.bmi) == "24.7"
    assert "24.7" in clinic.client(clinic.nurse).get(url).text


def test_implausible_vitals_are_refused_next_to_the_field(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    response = clinic.client(clinic.nurse).post(url, {"pulse": "400", "spo2": "97"})
    assert response.status_code == 200
    assert 'id="id_pulse_error"' in response.text and "not plausible" in response.text
    assert 'id="id_spo2_error"' not in response.text
    with tenant_context(clinic.hospital):
        assert not Vitals.objects.exists()


def test_abnormal_vitals_are_flagged_in_words_in_the_htmx_fragment(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    fragment = clinic.client(clinic.nurse).post(
        url, {"systolic": "165", "diastolic": "100", "spo2": "91"}, **HTMX
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Systolic pressure: High" in fragment.text
    assert "SpO₂: Low" in fragment.text
    assert "Vitals recorded." in fragment.text


def test_the_vitals_page_is_a_page_without_htmx(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    page = clinic.client(clinic.nurse).get(f"/consultations/visits/{appointment.pk}/vitals/")
    assert "<html" in page.text and 'name="systolic"' in page.text
