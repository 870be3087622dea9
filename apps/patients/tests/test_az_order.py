"""Names in Azerbaijani alphabetical order on SQLite (the collation registered on every
connection): patients and the reference data's regions, in the list and its selector."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.collation import az_order, az_sort_key
from apps.core.tests.test_collation import SURNAMES, shuffled
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.patients.views import SORT_COLUMNS
from apps.regions.selectors import regions_active
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_names_sort_in_azerbaijani_order_on_sqlite(hospital_a: Hospital) -> None:
    for surname in shuffled(SURNAMES):
        register(hospital_a, last_name=surname)
    with tenant_context(hospital_a):
        listed = Patient.objects.order_by(*SORT_COLUMNS["name"])
        assert [p.last_name for p in listed] == SURNAMES
        descending = Patient.objects.order_by(az_order("-last_name"))
        assert [p.last_name for p in descending] == SURNAMES[::-1]
        regions = [region.name for region in regions_active()]
        assert regions.index("Ağcabədi") < regions.index("Astara")
        assert regions == sorted(regions, key=az_sort_key)


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_the_patient_list_sorts_names_in_azerbaijani_order(
    hospital_a: Hospital, client_a: Client, sort: str
) -> None:
    for surname in ("Zeynalova", "Əliyeva", "Abbasova"):
        register(hospital_a, last_name=surname)
    page = client_a.get(f"/patients/?sort={sort}").text
    order = sorted(("Zeynalova", "Əliyeva", "Abbasova"), key=page.index)
    expected = ["Abbasova", "Əliyeva", "Zeynalova"]
    assert order == (expected if sort == "name" else expected[::-1])
