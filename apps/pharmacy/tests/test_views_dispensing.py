"""The dispensing pages: find a prescription, sell its items as one sale."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.consultations.models import Prescription
from apps.pharmacy.models import Medicine, Sale
from apps.pharmacy.tests.conftest import HTMX
from apps.pharmacy.tests.factories import in_days, make_medicine, prescribe, receive
from apps.pharmacy.tests.test_views_catalogue import errors_in
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


@pytest.fixture
def paracetamol(hospital_a: Hospital) -> Medicine:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("B1", in_days(200), 100))
    return medicine


@pytest.fixture
def prescription(hospital_a: Hospital, paracetamol: Medicine) -> Prescription:
    return prescribe(hospital_a, ("Paracetamol 500 mg", 10), ("Ibuprofen 200 mg", 4))


def url(prescription: Prescription) -> str:
    return f"/pharmacy/dispense/{prescription.pk}/"


def dispense_data(*rows: tuple[Medicine | None, int | str], **changes: str) -> dict[str, str]:
    data = {
        "customer_phone": "",
        "discount": "0",
        "tax_rate": "0",
        "payment_method": "cash",
        "payment_reference": "",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(len(rows)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, (medicine, quantity) in enumerate(rows):
        data[f"lines-{index}-medicine"] = str(medicine.pk) if medicine else ""
        data[f"lines-{index}-quantity"] = str(quantity)
    return {**data, **changes}


def sales_of(hospital: Hospital) -> list[Sale]:
    with tenant_context(hospital):
        return list(Sale.objects.prefetch_related("lines"))


def test_a_prescription_is_found_by_its_number_however_it_is_typed(
    prescription: Prescription, pharmacist_a: Client
) -> None:
    typed = f"  {prescription.number.lower()} "
    response = pharmacist_a.get("/pharmacy/dispense/", {"number": typed})
    assert response.status_code == 302 and response["Location"] == url(prescription)


def test_an_unknown_number_is_said_next_to_the_field(pharmacist_a: Client) -> None:
    response = pharmacist_a.get("/pharmacy/dispense/", {"number": "X-RX-2026-000999"})
    assert response.status_code == 200
    assert "no prescription with this number" in errors_in(response.text)["number"]


def test_the_finder_lists_prescriptions_to_dispense(
    prescription: Prescription, pharmacist_a: Client
) -> None:
    response = pharmacist_a.get("/pharmacy/dispense/")
    assert f'href="{url(prescription)}"' in response.text
    assert prescription.patient.full_name in response.text


def test_the_form_comes_filled_from_the_prescription(
    prescription: Prescription, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    page = pharmacist_a.get(url(prescription)).text
    assert prescription.patient.full_name in page and "Ibuprofen 200 mg" in page
    assert f'<option value="{paracetamol.pk}" selected>' in page
    assert 'name="lines-0-quantity" value="10"' in page
    assert 'name="lines-1-quantity" value="4"' in page


def test_dispensing_makes_one_sale_to_the_patient_with_a_line_per_item_given(
    hospital_a: Hospital, prescription: Prescription, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    response = pharmacist_a.post(url(prescription), dispense_data((paracetamol, 10), (None, "")))
    (sale,) = sales_of(hospital_a)
    assert response.status_code == 302 and response["Location"] == f"/pharmacy/sales/{sale.pk}/"
    assert sale.patient_id == prescription.patient_id
    with tenant_context(hospital_a):
        (line,) = sale.lines.all()
        assert line.prescription_item is not None
        assert line.prescription_item.prescription_id == prescription.pk
        assert line.quantity == 10


def test_more_than_prescribed_is_refused_next_to_the_units(
    hospital_a: Hospital, prescription: Prescription, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    response = pharmacist_a.post(url(prescription), dispense_data((paracetamol, 11), (None, "")))
    assert response.status_code == 200
    assert "more than prescribed" in errors_in(response.text)["lines-0-quantity"]
    assert sales_of(hospital_a) == []


def test_units_without_a_medicine_and_no_units_at_all_are_refused(
    hospital_a: Hospital, prescription: Prescription, pharmacist_a: Client
) -> None:
    response = pharmacist_a.post(url(prescription), dispense_data((None, 3), (None, "")))
    assert "lines-0-medicine" in errors_in(response.text)
    response = pharmacist_a.post(url(prescription), dispense_data((None, 0), (None, "")))
    assert "at least one item" in response.text
    assert sales_of(hospital_a) == []


def test_an_htmx_dispense_answers_with_the_fragment_or_a_client_redirect(
    prescription: Prescription, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    refused = pharmacist_a.post(
        url(prescription), dispense_data((paracetamol, 99), (None, "")), **HTMX
    )
    assert refused.text.lstrip().startswith('<div id="dispense-form">')
    done = pharmacist_a.post(url(prescription), dispense_data((paracetamol, 1), (None, "")), **HTMX)
    assert done.headers["HX-Redirect"].startswith("/pharmacy/sales/")


def test_the_finder_refuses_a_post(pharmacist_a: Client) -> None:
    assert pharmacist_a.post("/pharmacy/dispense/").status_code == 405


def test_a_doctor_may_not_dispense(hospital_a: Hospital, prescription: Prescription) -> None:
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert doctor.get(url(prescription)).status_code == 403
    assert doctor.post(url(prescription), dispense_data()).status_code == 403


def test_another_hospitals_user_and_ids_are_refused(
    hospital_a: Hospital,
    prescription: Prescription,
    paracetamol: Medicine,
    admin_b: User,
    client_b: Client,
) -> None:
    assert hospital_client(hospital_a, admin_b).get(url(prescription)).status_code == 403
    assert client_b.get(url(prescription)).status_code == 404
    assert client_b.post(url(prescription), dispense_data((paracetamol, 1))).status_code == 404
    found = client_b.get("/pharmacy/dispense/", {"number": prescription.number})
    assert "no prescription with this number" in errors_in(found.text)["number"]


def test_an_open_consultations_prescription_says_it_cannot_be_dispensed_yet(
    hospital_a: Hospital, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10), complete=False)
    page = pharmacist_a.get(url(prescription)).text
    assert 'id="not-completed"' in page and "Dispense and complete the sale" not in page


def test_the_sale_names_the_prescription_each_line_dispensed(
    hospital_a: Hospital, prescription: Prescription, paracetamol: Medicine, pharmacist_a: Client
) -> None:
    response = pharmacist_a.post(url(prescription), dispense_data((paracetamol, 10), (None, "")))
    sale_page = pharmacist_a.get(response["Location"]).text
    assert f"Prescription {prescription.number}: Paracetamol 500 mg" in sale_page
    again = pharmacist_a.get(url(prescription)).text
    assert 'name="lines-0-quantity" value="0"' in again
