"""Laboratory views: catalogue and settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.exceptions import ValidationError
from apps.laboratory.models import LabSettings, OrderStatus
from apps.laboratory.tests.conftest import haemoglobin, is_fragment, patient_of, place, resulted
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_catalogue_lists_tests_with_their_ranges_by_sex_and_age(
    technician: Client,
) -> None:
    response = technician.get("/laboratory/catalogue/")
    assert response.status_code == 200
    assert "Complete blood count" in response.text and "Creatinine" in response.text
    assert "62–106" in response.text and "18 years and over" in response.text
    fragment = technician.get("/laboratory/catalogue/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-catalogue"' in fragment.text


def test_an_administrator_turns_the_second_person_rule_off(
    hospital_a: Hospital, client_a: Client, technician_a: User
) -> None:
    page = client_a.get("/laboratory/settings/")
    assert page.status_code == 200 and "checked" in page.text
    with tenant_context(hospital_a):
        assert not LabSettings.objects.exists()  # the defaults are read, never written
    response = client_a.post("/laboratory/settings/", {}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == "/laboratory/settings/"
    fragment = client_a.get("/laboratory/settings/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and "checked" not in fragment.text
    order = resulted(hospital_a, place(hospital_a, patient_of(hospital_a)), technician_a)
    assert order.status == OrderStatus.APPROVED


def test_an_administrator_sets_the_hospitals_price_and_withdraws_a_test(
    hospital_a: Hospital, client_a: Client
) -> None:
    with tenant_context(hospital_a):
        test = haemoglobin()
    url = f"/laboratory/catalogue/test/{test.pk}/"
    page = client_a.get(url)
    assert page.status_code == 200 and "Haemoglobin" in page.text and 'value="4.00"' in page.text
    assert f'href="{url}"' in client_a.get("/laboratory/catalogue/").text
    negative = client_a.post(url, {"price": "-1", "is_active": "on"}, HTTP_HX_REQUEST="true")
    assert is_fragment(negative) and 'id="id_price_error"' in negative.text
    saved = client_a.post(url, {"price": "5.50"}, HTTP_HX_REQUEST="true")
    assert saved.headers["HX-Redirect"] == "/laboratory/catalogue/"
    with tenant_context(hospital_a):
        test.refresh_from_db()
    assert test.price == Decimal("5.50") and test.is_active is False
    with pytest.raises(ValidationError, match="not offered"):
        place(hospital_a, patient_of(hospital_a), panels=(), tests=("HGB",))


def test_a_catalogue_item_that_does_not_exist_is_not_found(client_a: Client) -> None:
    assert client_a.get("/laboratory/catalogue/test/99999/").status_code == 404
    assert client_a.get("/laboratory/catalogue/drug/1/").status_code == 404
