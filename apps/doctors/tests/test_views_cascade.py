"""Doctors views: the cascade."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import User
from apps.doctors.tests.conftest import Place, doctors_of, form_data, is_fragment
from apps.regions.models import City, Region
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client


def test_choosing_a_region_returns_its_cities_and_resets_the_clinics(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.get(
        "/doctors/options/cities/", {"region": ganja.region.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert f'<option value="{ganja.city.pk}">{ganja.city.name}</option>' in response.text
    assert f">{baku.city.name}<" not in response.text
    assert '<select id="id_clinic" hx-swap-oob="innerHTML">' in response.text


def test_choosing_a_city_returns_only_its_clinics(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.get(
        "/doctors/options/clinics/", {"city": baku.city.pk}, HTTP_HX_REQUEST="true"
    )
    assert f'<option value="{baku.clinic.pk}">{baku.clinic.name}</option>' in response.text
    assert ganja.clinic.name not in response.text and is_fragment(response)


def test_no_region_lists_every_city_grouped_by_region(client_a: Client, baku: Place) -> None:
    response = client_a.get("/doctors/options/cities/", {"region": ""})
    assert is_fragment(response)
    assert f'<optgroup label="{baku.region.name}">' in response.text


def test_a_region_of_hospital_a_gives_no_cities_on_hospital_bs_host(
    client_b: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    with tenant_context(hospital_a):
        region = Region.objects.create(name="Naxçıvan", code="NAX")
        City.objects.create(region=region, name="Ordubad")
    response = client_b.get("/doctors/options/cities/", {"region": region.pk})
    assert response.status_code == 200 and "Ordubad" not in response.text
    for malformed in ("1; drop", "9" * 30):
        assert client_b.get("/doctors/options/cities/", {"region": malformed}).status_code == 200
        assert client_b.get("/doctors/options/clinics/", {"city": malformed}).status_code == 200


def test_a_malformed_region_is_a_form_error_not_a_crash(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, region="9" * 30, city="x"))
    assert response.status_code == 200
    assert 'id="id_region_error"' in response.text and 'id="id_city_error"' in response.text
    assert doctors_of(hospital_a) == []


def test_the_options_answer_only_get(client_a: Client) -> None:
    assert client_a.post("/doctors/options/cities/").status_code == 405
    assert client_a.post("/doctors/options/clinics/").status_code == 405


def test_the_options_refuse_a_user_of_another_hospital(hospital_a: Hospital, admin_b: User) -> None:
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.get("/doctors/options/cities/", {"region": 1}).status_code == 403


def test_the_form_without_javascript_narrows_choices_after_a_region_is_posted(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, city="", clinic=""))
    city_select = response.text.split('name="city"')[1].split("</select>")[0]
    assert f">{baku.city.name}<" in city_select and ganja.city.name not in city_select
