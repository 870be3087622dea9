"""Medicines given on the ward take their units from stock through the ledger: the
soonest-expiring sellable batch first, expired batches never, and nothing at all when
there is not enough."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.exceptions import Conflict
from apps.pharmacy.models import Batch, MovementKind, StockMovement
from apps.pharmacy.services.ward import ward_dose_issue
from apps.pharmacy.tests.factories import in_days, make_medicine, receive
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital
from conftest import make_user


def test_a_ward_dose_takes_the_soonest_expiring_units_and_writes_the_ledger(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a, sale_price=Decimal("0.50"))
    receive(hospital_a, medicine, ("LATE", in_days(300), 5), ("SOON", in_days(30), 2))
    nurse = make_user(hospital_a, "nurse")
    with tenant_context(hospital_a), tenant_atomic():
        issued = ward_dose_issue(
            medicine_id=medicine.pk, quantity=3, reference="ADM-1", by=nurse, at=timezone.now()
        )
    assert issued.quantity == 3 and issued.unit_price == Decimal("0.50")
    with tenant_context(hospital_a):
        left = dict(Batch.objects.values_list("batch_number", "quantity_on_hand"))
        assert left == {"SOON": 0, "LATE": 4}
        moves = StockMovement.objects.filter(kind=MovementKind.WARD_DOSE).order_by("id")
        assert [(m.quantity, m.balance_after, m.reference) for m in moves] == [
            (-2, 5, "ADM-1"),
            (-1, 4, "ADM-1"),
        ]


def test_a_ward_dose_beyond_the_stock_in_date_is_refused_and_takes_nothing(
    hospital_a: Hospital,
) -> None:
    medicine = make_medicine(hospital_a)
    receive(hospital_a, medicine, ("OK", in_days(10), 1))
    receive(hospital_a, medicine, ("OLD", in_days(-1), 9), on=in_days(-30))
    nurse = make_user(hospital_a, "nurse")
    with tenant_context(hospital_a):
        with pytest.raises(Conflict) as refused, tenant_atomic():
            ward_dose_issue(
                medicine_id=medicine.pk, quantity=2, reference="ADM-1", by=nurse, at=timezone.now()
            )
        assert "holds 1 unit" in refused.value.message
        assert not StockMovement.objects.filter(kind=MovementKind.WARD_DOSE).exists()
        assert Batch.objects.get(batch_number="OK").quantity_on_hand == 1
