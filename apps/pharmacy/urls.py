from __future__ import annotations

from django.urls import path

from apps.pharmacy.views import catalogue, dispensing, sales, stock

app_name = "pharmacy"

urlpatterns = [
    path("", catalogue.medicine_list, name="medicines"),
    path("medicines/new/", catalogue.medicine_new, name="medicine_new"),
    path("medicines/<uuid:medicine_id>/", catalogue.medicine_detail, name="medicine"),
    path("medicines/<uuid:medicine_id>/edit/", catalogue.medicine_edit, name="medicine_edit"),
    path("suppliers/", catalogue.supplier_index, name="suppliers"),
    path("suppliers/new/", catalogue.supplier_new, name="supplier_new"),
    path("suppliers/<uuid:supplier_id>/edit/", catalogue.supplier_edit, name="supplier_edit"),
    path("receipts/", stock.receipt_index, name="receipts"),
    path("receipts/new/", stock.receipt_new, name="receipt_new"),
    path("receipts/new/line/", stock.receipt_line, name="receipt_line"),
    path("receipts/<uuid:receipt_id>/", stock.receipt_detail, name="receipt"),
    path("batches/<uuid:batch_id>/adjust/", stock.batch_adjust, name="batch_adjust"),
    path("stock/low/", stock.low_stock_list, name="low_stock"),
    path("stock/expiring/", stock.expiring_list, name="expiring"),
    path("stock/expired/", stock.expired_list, name="expired"),
    path("sales/", sales.sale_index, name="sales"),
    path("sales/new/", sales.sale_new, name="sale_new"),
    path("sales/new/line/", sales.sale_line, name="sale_line"),
    path("sales/<uuid:sale_id>/", sales.sale_detail, name="sale"),
    path("sales/<uuid:sale_id>/return/", sales.sale_return, name="sale_return"),
    path("dispense/", dispensing.dispense_index, name="dispense_index"),
    path("dispense/<uuid:prescription_id>/", dispensing.dispense, name="dispense"),
]
