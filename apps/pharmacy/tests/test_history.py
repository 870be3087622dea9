from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.patients import history
from apps.patients.tests.factories import register
from apps.pharmacy.selectors import sales_history_of
from apps.pharmacy.tests.factories import in_days, make_medicine, receive, sell
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@pytest.fixture
def only_pharmacy_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "_providers", {"pharmacy": sales_history_of})


@pytest.mark.usefixtures("only_pharmacy_history")
def test_a_patients_pharmacy_sales_show_in_their_history(
    hospital_a: Hospital, client_a: Client
) -> None:
    patient = register(hospital_a)
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 10))
    sale = sell(hospital_a, (medicine, 2), patient_id=patient.pk)
    sell(hospital_a, (medicine, 1))  # over the counter, no patient
    page = client_a.get(f"/patients/{patient.pk}/").text
    assert "Pharmacy sale" in page and sale.number in page
    assert f"/pharmacy/sales/{sale.pk}/" in page
    assert page.count("Pharmacy sale") == 1


@pytest.mark.usefixtures("only_pharmacy_history")
def test_a_doctor_sees_the_sale_in_the_history_without_a_link_an_admin_with_one(
    hospital_a: Hospital, client_a: Client
) -> None:
    patient = register(hospital_a)
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 5))
    sale = sell(hospital_a, (medicine, 1), patient_id=patient.pk)
    page = f"/patients/{patient.pk}/"
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    as_doctor = doctor.get(page).text
    assert sale.number in as_doctor and f"/pharmacy/sales/{sale.pk}/" not in as_doctor
    assert f'href="/pharmacy/sales/{sale.pk}/"' in client_a.get(page).text
