"""Who may open which pharmacy page, on which host, with which method — every page."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.pharmacy.tests.conftest import HTMX, LIST_PATHS, Stocked
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_a_pharmacist_opens_every_page(stocked: Stocked, pharmacist_a: Client) -> None:
    for path in LIST_PATHS + stocked.object_paths():
        assert pharmacist_a.get(path).status_code == 200, path


def test_the_hospital_admin_opens_every_page(stocked: Stocked, client_a: Client) -> None:
    for path in LIST_PATHS + stocked.object_paths():
        assert client_a.get(path).status_code == 200, path


def test_the_pharmacist_sees_the_module_and_others_do_not(
    hospital_a: Hospital, pharmacist_a: Client
) -> None:
    assert 'href="/pharmacy/"' in pharmacist_a.get("/").text
    receptionist = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    assert 'href="/pharmacy/"' not in receptionist.get("/").text


@pytest.mark.parametrize(
    "role",
    [
        Role.RECEPTIONIST,
        Role.DOCTOR,
        Role.NURSE,
        Role.ACCOUNTANT,
        Role.LAB_TECHNICIAN,
        Role.PATIENT,
    ],
)
def test_other_roles_are_refused_every_page(
    hospital_a: Hospital, stocked: Stocked, role: str
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    for path in LIST_PATHS + stocked.object_paths():
        assert client.get(path).status_code == 403, path
    assert client.post("/pharmacy/sales/new/", {}).status_code == 403


def test_a_user_of_another_hospital_is_refused_on_this_hospitals_host(
    hospital_a: Hospital, stocked: Stocked, admin_b: User
) -> None:
    client = hospital_client(hospital_a, admin_b)
    for path in LIST_PATHS + stocked.object_paths():
        assert client.get(path).status_code == 403, path
        assert client.post(path, {}).status_code == 403, path


def test_hospital_as_object_ids_are_not_found_on_hospital_bs_host(
    stocked: Stocked, client_b: Client
) -> None:
    for path in stocked.object_paths():
        assert client_b.get(path).status_code == 404, path
    for path in stocked.object_paths():
        if path.endswith(("edit/", "adjust/", "return/")):
            response = client_b.post(path, {"reason": "count", "quantity": "-1", "name": "X"})
            assert response.status_code == 404, path


def test_a_hospital_without_the_module_answers_404(hospital_a: Hospital, client_a: Client) -> None:
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "pharmacy"]
    hospital_a.save()
    assert client_a.get("/pharmacy/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/pharmacy/sales/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


READ_ONLY = [
    "/pharmacy/",
    "/pharmacy/suppliers/",
    "/pharmacy/receipts/",
    "/pharmacy/receipts/new/line/",
    "/pharmacy/stock/low/",
    "/pharmacy/stock/expiring/",
    "/pharmacy/stock/expired/",
    "/pharmacy/sales/",
    "/pharmacy/sales/new/line/",
]
FORMS = [
    "/pharmacy/medicines/new/",
    "/pharmacy/suppliers/new/",
    "/pharmacy/receipts/new/",
    "/pharmacy/sales/new/",
]


def test_wrong_methods_are_refused(stocked: Stocked, pharmacist_a: Client) -> None:
    for path in [
        *READ_ONLY,
        f"/pharmacy/medicines/{stocked.medicine.pk}/",
        f"/pharmacy/receipts/{stocked.receipt.pk}/",
        f"/pharmacy/sales/{stocked.sale.pk}/",
    ]:
        assert pharmacist_a.post(path).status_code == 405, path
    for path in FORMS + [
        p for p in stocked.object_paths() if p.endswith(("edit/", "adjust/", "return/"))
    ]:
        assert pharmacist_a.put(path).status_code == 405, path
        assert pharmacist_a.delete(path).status_code == 405, path


@pytest.mark.parametrize(
    ("path", "fragment_id"),
    [
        ("/pharmacy/", "medicine-results"),
        ("/pharmacy/medicines/new/", "medicine-form"),
        ("/pharmacy/suppliers/", "supplier-results"),
        ("/pharmacy/suppliers/new/", "supplier-form"),
        ("/pharmacy/receipts/", "receipt-results"),
        ("/pharmacy/receipts/new/", "receipt-form"),
        ("/pharmacy/stock/low/", "alert-results"),
        ("/pharmacy/stock/expiring/", "alert-results"),
        ("/pharmacy/stock/expired/", "alert-results"),
        ("/pharmacy/sales/", "sale-results"),
        ("/pharmacy/sales/new/", "sale-form"),
    ],
)
def test_each_list_and_form_is_a_page_or_its_fragment(
    pharmacist_a: Client, path: str, fragment_id: str
) -> None:
    page = pharmacist_a.get(path)
    assert "<html" in page.text and f'id="{fragment_id}"' in page.text
    fragment = pharmacist_a.get(path, **HTMX)
    assert "<html" not in fragment.text and f'id="{fragment_id}"' in fragment.text


def test_each_object_page_is_a_page_or_its_fragment(stocked: Stocked, pharmacist_a: Client) -> None:
    fragments = {
        f"/pharmacy/medicines/{stocked.medicine.pk}/": "medicine-detail",
        f"/pharmacy/medicines/{stocked.medicine.pk}/edit/": "medicine-form",
        f"/pharmacy/suppliers/{stocked.supplier.pk}/edit/": "supplier-form",
        f"/pharmacy/receipts/{stocked.receipt.pk}/": "receipt-detail",
        f"/pharmacy/batches/{stocked.batch.pk}/adjust/": "adjust-form",
        f"/pharmacy/sales/{stocked.sale.pk}/": "sale-receipt",
        f"/pharmacy/sales/{stocked.sale.pk}/return/": "return-form",
    }
    assert set(fragments) == set(stocked.object_paths())
    for path, fragment_id in fragments.items():
        page = pharmacist_a.get(path)
        assert "<html" in page.text and f'id="{fragment_id}"' in page.text, path
        fragment = pharmacist_a.get(path, **HTMX)
        assert "<html" not in fragment.text and f'id="{fragment_id}"' in fragment.text, path
