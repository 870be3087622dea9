from __future__ import annotations

from decimal import Decimal

import pytest

from apps.core.exceptions import Conflict, ValidationError
from apps.doctors.models import Doctor
from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.reference_data import seed
from apps.regions.selectors import ReferenceRow, reference_rows
from apps.regions.services import (
    city_create,
    clinic_create,
    reference_row_delete,
    reference_row_set_active,
    region_create,
    specialization_create,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


@pytest.fixture(autouse=True)
def _in_hospital_a(hospital_a: Hospital):
    with tenant_context(hospital_a):
        yield


def own_place() -> tuple[Region, City, Clinic]:
    region = region_create(name="Naxçıvan", code="nax")
    city = city_create(region=region, name="Ordubad")
    clinic = clinic_create(city=city, name="Ordubad Klinikası", phone="+994 36 547 00 01")
    return region, city, clinic


def doctor_at(clinic: Clinic, name: str = "Nigar Əliyeva") -> Doctor:
    return Doctor.objects.create(
        full_name=name,
        specialization=Specialization.objects.get(code="CARD"),
        region=clinic.city.region,
        city=clinic.city,
        clinic=clinic,
        consulting_fee=Decimal(40),
    )


def test_rows_the_hospital_adds_are_its_own(hospital_a: Hospital) -> None:
    region, city, clinic = own_place()
    specialization = specialization_create(name="Sport medicine", code="sport")
    assert region.code == "NAX" and specialization.code == "SPORT"
    for row in (region, city, clinic, specialization):
        row.refresh_from_db()
        assert row.is_canonical is False and row.is_active is True


def test_a_region_code_already_used_is_refused_on_the_code_field(hospital_a: Hospital) -> None:
    with pytest.raises(ValidationError, match="already used by Bakı") as error:
        region_create(name="Baku again", code="bak")
    assert error.value.field == "code"


@pytest.mark.parametrize("code", ["N", "NAX-1", "TOOLONGCODE1", ""])
def test_a_malformed_code_is_refused(hospital_a: Hospital, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        specialization_create(name="Sport medicine", code=code)
    assert error.value.field == "code"


def test_a_blank_name_is_refused(hospital_a: Hospital) -> None:
    with pytest.raises(ValidationError) as error:
        region_create(name="   ", code="NAX")
    assert error.value.field == "name"


def test_a_city_name_is_unique_within_its_region_whatever_the_case(hospital_a: Hospital) -> None:
    baku = Region.objects.get(code="BAK")
    city_create(region=baku, name="Əhmədli")
    for taken in ("bakı", "ƏHMƏDLI", "əhmədli"):
        with pytest.raises(ValidationError, match="already has a city called") as error:
            city_create(region=baku, name=taken)
        assert error.value.field == "name"
    assert City.objects.filter(region=baku).count() == 2


def test_nothing_is_added_under_a_deactivated_parent(hospital_a: Hospital) -> None:
    _, city, _ = own_place()
    reference_row_set_active(row=city, is_active=False)
    with pytest.raises(ValidationError, match="deactivated") as error:
        clinic_create(city=city, name="Second clinic")
    assert error.value.field == "city"


def test_a_clinic_phone_must_look_like_a_phone_number(hospital_a: Hospital) -> None:
    city = City.objects.get(name="Bakı")
    with pytest.raises(ValidationError) as error:
        clinic_create(city=city, name="New clinic", phone="ring twice")
    assert error.value.field == "phone"


def test_an_own_row_nobody_uses_can_be_deleted(hospital_a: Hospital) -> None:
    specialization = specialization_create(name="Sport medicine", code="SPORT")
    reference_row_delete(row=specialization)
    assert not Specialization.objects.filter(code="SPORT").exists()


def test_a_clinic_doctors_use_is_not_deleted_and_the_message_says_how_many(
    hospital_a: Hospital,
) -> None:
    _, _, clinic = own_place()
    doctor_at(clinic, "One")
    doctor_at(clinic, "Two")
    with pytest.raises(Conflict) as error:
        reference_row_delete(row=clinic)
    assert error.value.message == (
        "Ordubad Klinikası cannot be deleted while it is in use (Doctors: 2). "
        "Move them elsewhere first, or deactivate it."
    )
    assert Clinic.objects.filter(pk=clinic.pk).exists()


def test_a_region_counts_its_doctors_and_its_cities(hospital_a: Hospital) -> None:
    region, _, clinic = own_place()
    doctor_at(clinic)
    with pytest.raises(
        Conflict, match=r"cannot be deleted while it is in use \(Cities: 1, Doctors: 1\)"
    ):
        reference_row_delete(row=region)
    assert Region.objects.filter(pk=region.pk).exists()


def test_canonical_rows_are_never_deleted(hospital_a: Hospital) -> None:
    with pytest.raises(Conflict, match="canonical reference data"):
        reference_row_delete(row=Specialization.objects.get(code="ENDO"))
    assert Specialization.objects.filter(code="ENDO").exists()


def test_a_canonical_row_can_be_deactivated_and_reactivated(hospital_a: Hospital) -> None:
    clinic = Clinic.objects.get(name="Yasamal Ailə Klinikası")
    reference_row_set_active(row=clinic, is_active=False)
    assert not Clinic.objects.get(pk=clinic.pk).is_active
    reference_row_set_active(row=clinic, is_active=True)
    assert Clinic.objects.get(pk=clinic.pk).is_active


def test_the_list_of_rows_tells_what_uses_each(hospital_a: Hospital) -> None:
    _, _, clinic = own_place()
    doctor_at(clinic)
    usages = {row.name: [u.label for u in used] for row, used in reference_rows(model=Clinic)}
    assert usages["Ordubad Klinikası"] == ["Doctors: 1"]
    assert usages["Bakı Mərkəzi Klinika"] == []


def test_a_canonical_sync_keeps_the_hospitals_own_rows(hospital_a: Hospital) -> None:
    region, city, clinic = own_place()
    baku_city = City.objects.get(name="Bakı")
    own_clinic_in_baku = clinic_create(city=baku_city, name="Our Baku clinic", address="Here 1")
    own_city_in_ganja = city_create(region=Region.objects.get(code="GAN"), name="Göygöl")
    specialization = specialization_create(name="Sport medicine", code="SPORT", description="x")
    doctor_at(clinic)
    Specialization.objects.filter(code="CARD").update(name="changed")  # the sync restores it

    result = seed(update_existing=True)

    assert result == {"created": 0, "updated": 1}
    own: list[ReferenceRow] = [
        region,
        city,
        clinic,
        own_clinic_in_baku,
        own_city_in_ganja,
        specialization,
    ]
    for row in own:
        fresh = type(row).objects.get(pk=row.pk)
        assert fresh.is_canonical is False and fresh.name == row.name
    assert Clinic.objects.get(pk=own_clinic_in_baku.pk).address == "Here 1"
    assert Doctor.objects.get().clinic_id == clinic.pk
    assert Specialization.objects.get(code="CARD").name == "Kardioloq"
