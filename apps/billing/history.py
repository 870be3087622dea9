"""The patient's invoices in their history (``apps.patients.history``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.billing.formatting import money_display
from apps.billing.models import Invoice, InvoiceStatus
from apps.patients.history import HistoryEntry
from apps.patients.models import Patient
from apps.tenancy.context import current_hospital


def invoices_of(patient: Patient) -> list[HistoryEntry]:
    """Issued invoices (drafts and discarded drafts are work in progress, not history)."""
    hospital = current_hospital()
    invoices = Invoice.objects.filter(patient=patient, issued_at__isnull=False).exclude(
        status=InvoiceStatus.DRAFT
    )
    return [
        HistoryEntry(
            when=invoice.issued_at,  # type: ignore[arg-type]
            kind=_("Invoice"),
            title=str(invoice.number),
            detail=_("%(total)s · %(status)s")
            % {
                "total": money_display(invoice.total, hospital),
                "status": invoice.get_status_display(),
            },
            url=reverse(
                "billing:invoice", args=[invoice.pk], urlconf=settings.HMS_HOSPITAL_URLCONF
            ),
        )
        for invoice in invoices
    ]
