"""Azerbaijani alphabetical order on PostgreSQL (ICU's az-x-icu collation), the same
names as on SQLite (apps/core/tests/test_collation.py; fixtures: pg.py)."""

from __future__ import annotations

import pytest
from django.db import connections

from apps.core.collation import az_order, az_sort_key
from apps.core.tests.test_collation import SURNAMES, shuffled
from apps.patients.models import Patient
from apps.patients.services import patient_register
from apps.patients.tests.factories import details
from apps.patients.tests.pg import PostgresqlHospital
from apps.patients.views import SORT_COLUMNS
from apps.regions.selectors import regions_active

pytestmark = pytest.mark.django_db


def test_names_sort_in_azerbaijani_order_on_postgresql(
    postgresql_hospital: PostgresqlHospital,
) -> None:
    assert connections[postgresql_hospital.alias].vendor == "postgresql"
    with postgresql_hospital.context():
        for surname in shuffled(SURNAMES):
            patient_register(
                hospital=postgresql_hospital.hospital,
                details=details(last_name=surname),
                confirm_duplicates=True,
            )
        listed = Patient.objects.order_by(*SORT_COLUMNS["name"])
        assert [p.last_name for p in listed] == SURNAMES
        descending = Patient.objects.order_by(az_order("-last_name"))
        assert [p.last_name for p in descending] == SURNAMES[::-1]
        regions = [region.name for region in regions_active()]
    assert regions.index("Ağcabədi") < regions.index("Astara")
    assert regions == sorted(regions, key=az_sort_key)
