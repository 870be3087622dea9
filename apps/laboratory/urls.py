from __future__ import annotations

from django.urls import path

from apps.laboratory import views

app_name = "laboratory"

urlpatterns = [
    path("", views.lab_index, name="index"),
    path("worklist/", views.lab_worklist_view, name="worklist"),
    path("my-orders/", views.lab_my_orders, name="my_orders"),
    path("catalogue/", views.lab_catalogue_view, name="catalogue"),
    path(
        "catalogue/<str:kind>/<int:item_id>/",
        views.lab_catalogue_item_edit,
        name="catalogue_item",
    ),
    path("settings/", views.lab_settings_view, name="settings"),
    path("orders/new/", views.lab_order_new, name="order_new"),
    path("orders/<uuid:order_id>/", views.lab_order_detail, name="detail"),
    path("orders/<uuid:order_id>/collect/", views.lab_order_collect_view, name="collect"),
    path("orders/<uuid:order_id>/results/", views.lab_order_results, name="results"),
    path("orders/<uuid:order_id>/approve/", views.lab_order_approve_view, name="approve"),
    path("orders/<uuid:order_id>/cancel/", views.lab_order_cancel_view, name="cancel"),
    path(
        "orders/<uuid:order_id>/results/<int:result_id>/amend/",
        views.lab_result_amend_view,
        name="amend",
    ),
    path("orders/<uuid:order_id>/report/", views.lab_order_report, name="report"),
]
