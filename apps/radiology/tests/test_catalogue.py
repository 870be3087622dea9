"""The seeded catalogue: modalities and examinations in two languages, prices and
offered the hospital's own."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from apps.radiology.catalogue import canonical_catalogue, seed
from apps.radiology.models import Examination, Modality
from apps.tenancy.models import Hospital


def test_a_new_hospital_has_the_modalities_and_their_examinations(in_a: Hospital) -> None:
    codes = set(Modality.objects.values_list("code", flat=True))
    assert {"XR", "US", "CT", "MR", "MG", "FL"} <= codes
    assert 30 <= Examination.objects.count() <= 40
    chest = Examination.objects.get(code="XR-CHEST-PA")
    assert chest.name == "Chest X-ray PA"
    assert chest.price > 0
    assert chest.preparation and chest.default_findings and chest.default_impression


def test_every_examination_has_an_azerbaijani_name_and_preparation() -> None:
    for entry in canonical_catalogue()["examinations"]:
        assert entry["name_az"] and entry["preparation_az"], entry["code"]
        assert entry["findings"] and entry["impression"], entry["code"]


def test_names_and_preparation_follow_the_language(in_a: Hospital) -> None:
    head = Examination.objects.get(code="CT-HEAD")
    with translation.override("az"):
        assert head.display_name == "Başın kompüter tomoqrafiyası (kontrastsız)"
        assert head.modality.display_name == "Kompüter tomoqrafiyası"
    with translation.override("en"):
        assert head.display_name == "CT head without contrast"


def test_a_sync_keeps_the_hospitals_price_and_offered(in_a: Hospital) -> None:
    chest = Examination.objects.get(code="XR-CHEST-PA")
    chest.price = Decimal("99.00")
    chest.is_active = False
    chest.name = "Renamed by hand"
    chest.save()
    assert seed(update_existing=True)["created"] == 0
    chest.refresh_from_db()
    assert (chest.price, chest.is_active, chest.name) == (Decimal("99.00"), False, "Chest X-ray PA")
