from __future__ import annotations

from django.urls import path

from apps.radiology import views

app_name = "radiology"

urlpatterns = [
    path("", views.radiology_index, name="index"),
    path("worklist/", views.radiology_worklist_view, name="worklist"),
    path("my-orders/", views.radiology_my_orders, name="my_orders"),
    path("catalogue/", views.radiology_catalogue_view, name="catalogue"),
    path(
        "catalogue/<int:examination_id>/",
        views.radiology_examination_edit,
        name="examination",
    ),
    path("orders/new/", views.radiology_order_new, name="order_new"),
    path("studies/<uuid:study_id>/", views.radiology_study_detail, name="detail"),
    path("studies/<uuid:study_id>/schedule/", views.radiology_schedule_view, name="schedule"),
    path("studies/<uuid:study_id>/perform/", views.radiology_perform_view, name="perform"),
    path("studies/<uuid:study_id>/report/", views.radiology_report_view, name="report"),
    path("studies/<uuid:study_id>/verify/", views.radiology_verify_view, name="verify"),
    path("studies/<uuid:study_id>/cancel/", views.radiology_cancel_view, name="cancel"),
    path("studies/<uuid:study_id>/amend/", views.radiology_amend_view, name="amend"),
    path("studies/<uuid:study_id>/print/", views.radiology_report_print, name="print"),
    path(
        "studies/<uuid:study_id>/attachments/",
        views.radiology_attachment_upload,
        name="attachment_upload",
    ),
    path(
        "studies/<uuid:study_id>/attachments/<uuid:attachment_id>/",
        views.radiology_attachment_view,
        name="attachment",
    ),
]
