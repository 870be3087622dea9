from __future__ import annotations

from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.reference_data import canonical_data, seed
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
