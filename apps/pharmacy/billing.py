"""Sales charged to a patient's invoice, as billing sees them (``pharmacy.sale``).

A sale paid at the counter is not billable. A sale with payment method "patient's
invoice" is one item: the sale's net amount less what returns refunded. A return
withdraws the item from billing first (``sale_return_create``), so a draft invoice
picks it up again at the new amount, and an issued invoice refuses the return (a
credit note is the way out).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, F
from django.utils.translation import gettext_lazy, ngettext

from apps.core.billable import BillableItem
from apps.pharmacy.models import PaymentMethod, Sale
from apps.pharmacy.services.sales import BILLABLE_KEY


class PharmacySaleSource:
    key = BILLABLE_KEY
    label = gettext_lazy("Medicines")

    def _charged(self):  # type: ignore[no-untyped-def]
        return (
            Sale.objects.filter(payment_method=PaymentMethod.INVOICE, patient__isnull=False)
            .filter(refunded_amount__lt=F("net_amount"))
            .annotate(line_count=Count("lines"))
        )

    def _item(self, sale: Sale) -> BillableItem:
        assert sale.patient_id is not None
        return BillableItem(
            source=self.key,
            reference=str(sale.pk),
            patient_id=sale.patient_id,
            description=ngettext(
                "Medicines, sale %(number)s (%(count)d item)",
                "Medicines, sale %(number)s (%(count)d items)",
                sale.line_count,  # type: ignore[attr-defined]
            )
            % {"number": sale.number, "count": sale.line_count},  # type: ignore[attr-defined]
            quantity=Decimal("1"),
            unit_price=sale.charged_amount,
            occurred_at=sale.sold_at,
        )

    def items_for(self, *, patient_id: uuid.UUID) -> Iterable[BillableItem]:
        return [self._item(sale) for sale in self._charged().filter(patient_id=patient_id)]

    def item(self, *, reference: str) -> BillableItem | None:
        try:
            sale_id = uuid.UUID(reference)
        except ValueError:
            return None
        sale = self._charged().filter(pk=sale_id).first()
        return self._item(sale) if sale is not None else None


source = PharmacySaleSource()
