from __future__ import annotations

from apps.patients import history
from apps.patients.tests.factories import register
from apps.pharmacy.selectors import sales_history_of
from apps.pharmacy.tests.factories import in_days, make_medicine, receive, sell
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_a_patients_pharmacy_sales_show_in_their_history(hospital_a: Hospital) -> None:
    patient = register(hospital_a)
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(100), 10))
    sale = sell(hospital_a, (medicine, 2), patient_id=patient.pk)
    sell(hospital_a, (medicine, 1))  # over the counter, no patient
    doctor = hospital_client(hospital_a, make_user(hospital_a, "doctor"))
    history.register_provider("pharmacy", sales_history_of)
    try:
        page = doctor.get(f"/patients/{patient.pk}/").text
    finally:
        history.unregister_provider("pharmacy")
    assert "Pharmacy sale" in page and sale.number in page
    assert f"/pharmacy/sales/{sale.pk}/" in page
    assert page.count("Pharmacy sale") == 1
