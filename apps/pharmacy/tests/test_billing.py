from __future__ import annotations

from decimal import Decimal

from apps.core.modules import billable_sources
from apps.patients.tests.factories import register
from apps.pharmacy.billing import source
from apps.pharmacy.models import PaymentMethod
from apps.pharmacy.services.sales import sale_return_create
from apps.pharmacy.tests.factories import in_days, make_medicine, receive, sell
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_source_is_declared_for_billing_to_find() -> None:
    assert source in billable_sources()
    assert source.key == "pharmacy.sale"


def test_only_sales_put_on_the_invoice_are_billable_at_their_amount_after_returns(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    other = register(hospital_a, first_name="Other", phone="+994 55 000 00 01")
    medicine = make_medicine(hospital_a, sale_price=Decimal("3.00"))
    receive(hospital_a, medicine, ("B1", in_days(100), 20))
    on_invoice = sell(
        hospital_a, (medicine, 4), method=PaymentMethod.INVOICE, patient_id=patient.pk
    )
    sell(hospital_a, (medicine, 1), patient_id=patient.pk)  # paid in cash at the counter
    with tenant_context(hospital_a):
        [item] = source.items_for(patient_id=patient.pk)
        assert item.reference == str(on_invoice.pk) and item.amount == Decimal("12.00")
        assert on_invoice.number in item.description
        assert list(source.items_for(patient_id=other.pk)) == []
        sale_return_create(
            sale=on_invoice, quantities={on_invoice.lines.get().pk: 1}, reason="Not needed"
        )
        assert source.item(reference=str(on_invoice.pk)).amount == Decimal("9.00")  # type: ignore[union-attr]
        sale_return_create(
            sale=on_invoice, quantities={on_invoice.lines.get().pk: 3}, reason="Not needed"
        )
        assert source.item(reference=str(on_invoice.pk)) is None
        assert source.item(reference="not-a-uuid") is None
