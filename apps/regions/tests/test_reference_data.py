from __future__ import annotations

from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.reference_data import canonical_data, seed
from apps.regions.services import CODE_PATTERN
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_provisioning_seeds_the_canonical_reference_data(hospital_a: Hospital) -> None:
    data = canonical_data()
    with tenant_context(hospital_a):
        assert Region.objects.count() == len(data["regions"])
        assert Specialization.objects.filter(code="CARD", name="Kardioloq").exists()
        assert Clinic.objects.filter(name="Bakı Mərkəzi Klinika", city__region__code="BAK").exists()


def test_seeding_again_creates_no_duplicates(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        counts = (Region.objects.count(), City.objects.count(), Clinic.objects.count())
        assert seed(update_existing=True) == {"created": 0, "updated": 0}
        assert (Region.objects.count(), City.objects.count(), Clinic.objects.count()) == counts


def test_a_sync_restores_changed_canonical_rows_and_keeps_the_hospitals_own(
    hospital_a: Hospital,
) -> None:
    with tenant_context(hospital_a):
        Specialization.objects.filter(code="CARD").update(name="Cardio (typo)")
        Specialization.objects.filter(code="ENDO").delete()
        own = Region.objects.create(name="Naxçıvan", code="NAX")
        City.objects.create(region=own, name="Naxçıvan")
        result = seed(update_existing=True)
        assert result == {"updated": 1, "created": 1}
        assert Specialization.objects.filter(code="ENDO").exists()
        assert Specialization.objects.get(code="CARD").name == "Kardioloq"
        assert Region.objects.filter(code="NAX", is_canonical=False).exists()
        assert City.objects.filter(region__code="NAX").count() == 1


def test_the_canonical_data_follows_the_rules_a_hospitals_own_rows_follow() -> None:
    data = canonical_data()
    region_codes = [region["code"] for region in data["regions"]]
    specialization_codes = [spec["code"] for spec in data["specializations"]]
    for codes in (region_codes, specialization_codes):
        assert len(codes) == len(set(codes))
        assert all(CODE_PATTERN.match(code) for code in codes), codes
    assert len({spec["name"] for spec in data["specializations"]}) == len(specialization_codes)
    for region in data["regions"]:
        cities = [city["name"].casefold() for city in region["cities"]]
        assert cities and len(cities) == len(set(cities)), region["name"]
        for city in region["cities"]:
            clinics = [clinic["name"].casefold() for clinic in city["clinics"]]
            assert len(clinics) == len(set(clinics)), city["name"]


def test_every_district_of_azerbaijan_can_be_chosen(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        assert City.objects.get(region__code="KAN").name == "Qıvraq"  # Kəngərli's centre
        assert Region.objects.get(code="NV").name == "Naxçıvan"
        assert Specialization.objects.get(code="NEON").name == "Neonatoloq"
