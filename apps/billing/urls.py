from __future__ import annotations

from django.urls import path

from apps.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("new/", views.invoice_new, name="new"),
    path("patients/<uuid:patient_id>/invoice/", views.invoice_pick, name="pick"),
    path("invoices/<uuid:invoice_id>/", views.invoice_detail, name="invoice"),
    path("invoices/<uuid:invoice_id>/services/", views.invoice_add_service, name="add_service"),
    path(
        "invoices/<uuid:invoice_id>/lines/<int:line_id>/remove/",
        views.invoice_remove_line,
        name="remove_line",
    ),
    path("invoices/<uuid:invoice_id>/discount/", views.invoice_discount, name="discount"),
    path("invoices/<uuid:invoice_id>/issue/", views.invoice_issue, name="issue"),
    path("invoices/<uuid:invoice_id>/payments/", views.invoice_payment, name="payment"),
    path("invoices/<uuid:invoice_id>/cancel/", views.invoice_cancel, name="cancel"),
    path("invoices/<uuid:invoice_id>/credit/", views.invoice_credit, name="credit"),
    path("invoices/<uuid:invoice_id>/write-off/", views.invoice_write_off, name="write_off"),
    path("receipts/<uuid:payment_id>/", views.receipt, name="receipt"),
    path("services/", views.service_list, name="services"),
    path("services/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("collections/", views.collections, name="collections"),
]
