from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.models import Doctor
from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.reference_data import canonical_data
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

KINDS = ["regions", "cities", "clinics", "specializations"]


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def in_hospital(hospital: Hospital, query: Any) -> Any:
    with tenant_context(hospital):
        return query()


def own_region(hospital: Hospital, code: str = "DSH") -> Region:
    with tenant_context(hospital):
        return Region.objects.create(name="Dağlıq Şirvan", code=code)


def new_row_data(hospital: Hospital, kind: str) -> dict[str, Any]:
    with tenant_context(hospital):
        rows: dict[str, dict[str, Any]] = {
            "regions": {"name": "Dağlıq Şirvan", "code": "dsh"},
            "cities": {"region": Region.objects.get(code="BAK").pk, "name": "Sabunçu"},
            "clinics": {"city": City.objects.get(name="Bakı").pk, "name": "Sabunçu Klinikası"},
            "specializations": {"name": "Sport medicine", "code": "SPORT"},
        }
        return rows[kind]


# -- index ---------------------------------------------------------------------------


def test_the_index_counts_each_kind(client_a: Client, hospital_a: Hospital) -> None:
    own_region(hospital_a)
    response = client_a.get("/reference/")
    assert response.status_code == 200
    regions = len(canonical_data()["regions"]) + 1
    assert f"{regions} in all, 1 of this hospital's own" in response.text
    assert 'href="/reference/specializations/"' in response.text


def test_reference_data_is_for_hospital_admins_only(hospital_a: Hospital) -> None:
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert doctor.get("/reference/").status_code == 403
    assert doctor.get("/reference/regions/").status_code == 403
    assert "Reference data" not in doctor.get("/").text


def test_the_index_answers_only_get(client_a: Client) -> None:
    assert client_a.post("/reference/").status_code == 405


def test_the_index_refuses_a_user_of_another_hospital(hospital_a: Hospital, admin_b: User) -> None:
    assert hospital_client(hospital_a, admin_b).get("/reference/").status_code == 403


# -- list and add --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_list_marks_canonical_rows(client_a: Client, kind: str) -> None:
    response = client_a.get(f"/reference/{kind}/")
    assert response.status_code == 200 and "<html" in response.text
    assert "Canonical" in response.text and 'aria-current="page"' in response.text


def test_the_list_as_htmx_is_a_fragment(client_a: Client) -> None:
    response = client_a.get("/reference/regions/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="reference-content"' in response.text and "Bakı" in response.text


def test_an_unknown_kind_is_not_found(client_a: Client) -> None:
    assert client_a.get("/reference/doctors/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_adding_a_row_makes_it_the_hospitals_own(
    client_a: Client, hospital_a: Hospital, kind: str
) -> None:
    data = new_row_data(hospital_a, kind)
    response = client_a.post(f"/reference/{kind}/", data)
    assert response.status_code == 302 and response["Location"] == f"/reference/{kind}/"
    page = client_a.get(response["Location"])
    singular = {"regions": "region", "cities": "city", "clinics": "clinic"}.get(
        kind, "specialization"
    )
    assert f"Added {singular} {data['name']}." in page.text
    model = page.context["kind"].model
    assert (
        in_hospital(hospital_a, lambda: model.objects.get(name=data["name"]).is_canonical) is False
    )


def test_adding_through_htmx_returns_the_refreshed_list(
    client_a: Client, hospital_a: Hospital
) -> None:
    response = client_a.post(
        "/reference/specializations/",
        {"name": "Sport medicine", "code": "sport"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and is_fragment(response)
    assert "Added specialization Sport medicine." in response.text
    assert ">SPORT</td>" in response.text and 'class="badge own"' in response.text


def test_a_taken_code_is_shown_next_to_the_code_field(
    client_a: Client, hospital_a: Hospital
) -> None:
    response = client_a.post("/reference/regions/", {"name": "Baku again", "code": "BAK"})
    assert response.status_code == 200 and "<html" in response.text
    assert 'id="id_code_error">The code BAK is already used by Bakı.' in response.text
    assert (
        in_hospital(hospital_a, lambda: Region.objects.filter(name="Baku again").exists()) is False
    )


def test_validation_errors_come_back_as_a_fragment_for_htmx(client_a: Client) -> None:
    response = client_a.post(
        "/reference/cities/", {"region": "", "name": ""}, HTTP_HX_REQUEST="true"
    )
    assert is_fragment(response)
    assert 'id="id_region_error"' in response.text and 'id="id_name_error"' in response.text


def test_the_list_answers_only_get_and_post(client_a: Client) -> None:
    assert client_a.put("/reference/regions/").status_code == 405


def test_adding_is_refused_to_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User
) -> None:
    outsider = hospital_client(hospital_a, admin_b)
    response = outsider.post("/reference/regions/", {"name": "Dağlıq Şirvan", "code": "DSH"})
    assert response.status_code == 403
    assert in_hospital(hospital_a, lambda: Region.objects.filter(code="DSH").exists()) is False


# -- delete --------------------------------------------------------------------------


def test_an_unused_own_row_is_deleted(client_a: Client, hospital_a: Hospital) -> None:
    region = own_region(hospital_a)
    response = client_a.post(f"/reference/regions/{region.pk}/delete/")
    assert response.status_code == 302
    assert "Deleted region Dağlıq Şirvan." in client_a.get(response["Location"]).text
    assert in_hospital(hospital_a, lambda: Region.objects.filter(pk=region.pk).exists()) is False


def test_deleting_through_htmx_returns_the_list_without_the_row(
    client_a: Client, hospital_a: Hospital
) -> None:
    region = own_region(hospital_a)
    response = client_a.post(f"/reference/regions/{region.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert f'id="regions-{region.pk}"' not in response.text
    assert "Deleted region Dağlıq Şirvan." in response.text


def test_deleting_a_clinic_doctors_use_says_how_many_and_refuses(
    client_a: Client, hospital_a: Hospital
) -> None:
    with tenant_context(hospital_a):
        region = Region.objects.create(name="Dağlıq Şirvan", code="DSH")
        city = City.objects.create(region=region, name="Ordubad")
        clinic = Clinic.objects.create(city=city, name="Ordubad Klinikası")
        for name in ("One", "Two", "Three"):
            Doctor.objects.create(
                full_name=name,
                specialization=Specialization.objects.get(code="CARD"),
                region=region,
                city=city,
                clinic=clinic,
                consulting_fee=Decimal(10),
            )
    listing = client_a.get("/reference/clinics/")
    assert "Doctors: 3" in listing.text
    response = client_a.post(f"/reference/clinics/{clinic.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert "Ordubad Klinikası cannot be deleted while it is in use (Doctors: 3)." in response.text
    assert 'class="notice error"' in response.text
    assert in_hospital(hospital_a, lambda: Clinic.objects.filter(pk=clinic.pk).exists())


def test_a_refusal_without_htmx_comes_back_as_an_error_message(
    client_a: Client, hospital_a: Hospital
) -> None:
    with tenant_context(hospital_a):
        region = Region.objects.create(name="Dağlıq Şirvan", code="DSH")
        City.objects.create(region=region, name="Ordubad")
    response = client_a.post(f"/reference/regions/{region.pk}/delete/", follow=True)
    assert "Dağlıq Şirvan cannot be deleted while it is in use (Cities: 1)." in response.text
    assert in_hospital(hospital_a, lambda: Region.objects.filter(pk=region.pk).exists())


def test_a_canonical_row_is_not_deleted(client_a: Client, hospital_a: Hospital) -> None:
    region_id = in_hospital(hospital_a, lambda: Region.objects.get(code="BAK").pk)
    page = client_a.get("/reference/regions/")
    assert f'action="/reference/regions/{region_id}/delete/"' not in page.text
    response = client_a.post(f"/reference/regions/{region_id}/delete/", follow=True)
    assert "Bakı is canonical reference data and cannot be deleted" in response.text
    assert in_hospital(hospital_a, lambda: Region.objects.filter(pk=region_id).exists())


def test_delete_answers_only_post(client_a: Client, hospital_a: Hospital) -> None:
    region = own_region(hospital_a)
    assert client_a.get(f"/reference/regions/{region.pk}/delete/").status_code == 405


def test_an_own_row_of_hospital_a_is_not_found_on_hospital_bs_host(
    client_b: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    region = own_region(hospital_a)
    assert client_b.post(f"/reference/regions/{region.pk}/delete/").status_code == 404
    assert client_b.post(f"/reference/regions/{region.pk}/active/").status_code == 404
    assert in_hospital(hospital_a, lambda: Region.objects.filter(pk=region.pk).exists())


def test_delete_is_refused_to_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User
) -> None:
    region = own_region(hospital_a)
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.post(f"/reference/regions/{region.pk}/delete/").status_code == 403
    assert in_hospital(hospital_a, lambda: Region.objects.filter(pk=region.pk).exists())


# -- activate / deactivate -----------------------------------------------------------


def test_a_canonical_clinic_can_be_deactivated_and_leaves_the_doctor_form(
    client_a: Client, hospital_a: Hospital
) -> None:
    clinic = in_hospital(hospital_a, lambda: Clinic.objects.get(name="Yasamal Ailə Klinikası"))
    response = client_a.post(f"/reference/clinics/{clinic.pk}/active/", {"is_active": "false"})
    assert response.status_code == 302
    assert in_hospital(hospital_a, lambda: Clinic.objects.get(pk=clinic.pk).is_active) is False
    options = client_a.get("/doctors/options/clinics/", {"city": clinic.city_id})
    assert clinic.name not in options.text


def test_activating_through_htmx_returns_the_list(client_a: Client, hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        region = Region.objects.create(name="Dağlıq Şirvan", code="DSH", is_active=False)
    response = client_a.post(
        f"/reference/regions/{region.pk}/active/", {"is_active": "true"}, HTTP_HX_REQUEST="true"
    )
    assert is_fragment(response) and "Dağlıq Şirvan is now active." in response.text
    assert in_hospital(hospital_a, lambda: Region.objects.get(pk=region.pk).is_active)


def test_set_active_answers_only_post(client_a: Client, hospital_a: Hospital) -> None:
    region = own_region(hospital_a)
    assert client_a.get(f"/reference/regions/{region.pk}/active/").status_code == 405


def test_set_active_is_refused_to_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User
) -> None:
    region = own_region(hospital_a)
    outsider = hospital_client(hospital_a, admin_b)
    response = outsider.post(f"/reference/regions/{region.pk}/active/", {"is_active": "false"})
    assert response.status_code == 403
    assert in_hospital(hospital_a, lambda: Region.objects.get(pk=region.pk).is_active)
