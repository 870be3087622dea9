from __future__ import annotations

from django.urls import path

from apps.billing.views import invoice, invoices, prices, reports

app_name = "billing"

urlpatterns = [
    path("", invoices.invoice_list, name="invoices"),
    path("new/", invoices.invoice_new, name="new"),
    path("patients/<uuid:patient_id>/invoice/", invoices.invoice_pick, name="pick"),
    path("invoices/<uuid:invoice_id>/", invoice.invoice_detail, name="invoice"),
    path("invoices/<uuid:invoice_id>/services/", invoice.invoice_add_service, name="add_service"),
    path(
        "invoices/<uuid:invoice_id>/lines/<int:line_id>/remove/",
        invoice.invoice_remove_line,
        name="remove_line",
    ),
    path("invoices/<uuid:invoice_id>/discount/", invoice.invoice_discount, name="discount"),
    path("invoices/<uuid:invoice_id>/issue/", invoice.invoice_issue, name="issue"),
    path("invoices/<uuid:invoice_id>/payments/", invoice.invoice_payment, name="payment"),
    path("invoices/<uuid:invoice_id>/cancel/", invoice.invoice_cancel, name="cancel"),
    path("invoices/<uuid:invoice_id>/credit/", invoice.invoice_credit, name="credit"),
    path("invoices/<uuid:invoice_id>/write-off/", invoice.invoice_write_off, name="write_off"),
    path("receipts/<uuid:payment_id>/", invoice.receipt, name="receipt"),
    path("services/", prices.service_list, name="services"),
    path("services/<int:service_id>/edit/", prices.service_edit, name="service_edit"),
    path("collections/", reports.collections, name="collections"),
    path("settings/", prices.billing_settings, name="settings"),
]
