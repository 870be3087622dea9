"""Laboratory: tests and panels named in the reader's language (the catalogue carries
both names; screens, the report, messages and the invoice line show the reader's)."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.accounts.models import Role, User
from apps.laboratory.billing import source
from apps.laboratory.catalogue import canonical_catalogue
from apps.laboratory.models import LabOrder, LabPanel, LabTest
from apps.laboratory.tests.conftest import approved
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

NAMES = {"az": ("Hemoqlobin", "Ümumi qan analizi"), "en": ("Haemoglobin", "Complete blood count")}


def test_every_canonical_test_and_panel_has_both_names() -> None:
    catalogue = canonical_catalogue()
    for row in catalogue["tests"] + catalogue["panels"]:
        assert row["name"].strip() and row["name_az"].strip(), row["code"]


def test_seeding_gives_the_hospital_both_names(in_a: Hospital) -> None:
    test = LabTest.objects.get(code="HGB")
    panel = LabPanel.objects.get(code="CBC")
    assert (test.name, test.name_az) == ("Haemoglobin", "Hemoqlobin")
    assert (panel.name, panel.name_az) == ("Complete blood count", "Ümumi qan analizi")


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_catalogue_shows_names_in_the_readers_language(
    hospital_a: Hospital, technician_a: User, language: str
) -> None:
    client = hospital_client(hospital_a, technician_a)
    client.cookies["hms_language"] = language
    page = client.get("/laboratory/catalogue/").text
    test_name, panel_name = NAMES[language]
    other_test, other_panel = NAMES["en" if language == "az" else "az"]
    assert test_name in page and panel_name in page
    assert other_test not in page and other_panel not in page


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_report_shows_test_names_in_the_readers_language(
    hospital_a: Hospital,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
    language: str,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    client.cookies["hms_language"] = language
    page = client.get(f"/laboratory/orders/{order_a.pk}/report/").text
    assert NAMES[language][0] in page
    assert NAMES["en" if language == "az" else "az"][0] not in page


def test_the_billed_item_is_named_in_the_drafters_language(
    hospital_a: Hospital, order_a: LabOrder
) -> None:
    with tenant_context(hospital_a):
        reference = str(order_a.lines.get().pk)
        for language, panel_name in (("az", "Ümumi qan analizi"), ("en", "Complete blood count")):
            with translation.override(language):
                item = source.item(reference=reference)
                assert item is not None and panel_name in item.description
