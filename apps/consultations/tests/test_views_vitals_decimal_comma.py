"""Consultations views: a temperature typed with a decimal comma ("36,6" became 366 in
a number box that read the comma as a thousands separator)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from apps.consultations.models import Vitals
from apps.consultations.tests.conftest import Clinic
from apps.tenancy.context import tenant_context


@pytest.mark.parametrize("language", ["az", "en"])
@pytest.mark.parametrize("typed", ["36,6", "36.6"])
def test_a_temperature_is_read_with_a_comma_or_a_point_in_either_language(
    clinic: Clinic, language: str, typed: str
) -> None:
    appointment = clinic.checked_in()
    url = f"/consultations/visits/{appointment.pk}/vitals/"
    nurse = clinic.client(clinic.nurse)
    nurse.cookies["hms_language"] = language
    response = nurse.post(url, {"temperature": typed, "weight": "72,5"})
    assert response.status_code == 302, response.text
    with tenant_context(clinic.hospital):
        [vitals] = Vitals.objects.all()
    assert (vitals.temperature, vitals.weight) == (Decimal("36.6"), Decimal("72.5"))
    page = nurse.get(url).text
    shown = "36,6" if language == "az" else "36.6"
    # (366 as a number of its own: ids on the page may hold the digits)
    assert shown in page and re.search(r"(?<![\w.,-])366(?![\w.,-])", page) is None


def test_the_temperature_box_is_a_text_box_with_the_decimal_keypad(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    page = clinic.client(clinic.nurse).get(f"/consultations/visits/{appointment.pk}/vitals/")
    [box] = re.findall(r'<input[^>]*name="temperature"[^>]*>', page.text)
    assert 'type="text"' in box and 'inputmode="decimal"' in box
