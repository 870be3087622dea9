from __future__ import annotations

from django.urls import path

from apps.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.day_list, name="today"),
    path("visits/<uuid:appointment_id>/open/", views.consultation_open_view, name="open"),
    path("visits/<uuid:appointment_id>/vitals/", views.visit_vitals, name="vitals"),
    path("<uuid:consultation_id>/", views.consultation_detail, name="detail"),
    path("<uuid:consultation_id>/notes/", views.consultation_notes, name="notes"),
    path(
        "<uuid:consultation_id>/diagnoses/search/",
        views.diagnosis_search,
        name="diagnosis_search",
    ),
    path("<uuid:consultation_id>/diagnoses/", views.diagnosis_add_view, name="diagnosis_add"),
    path(
        "<uuid:consultation_id>/diagnoses/<int:diagnosis_id>/primary/",
        views.diagnosis_change,
        {"action": "primary"},
        name="diagnosis_primary",
    ),
    path(
        "<uuid:consultation_id>/diagnoses/<int:diagnosis_id>/remove/",
        views.diagnosis_change,
        {"action": "remove"},
        name="diagnosis_remove",
    ),
    path(
        "<uuid:consultation_id>/prescription/items/",
        views.prescription_item_add_view,
        name="item_add",
    ),
    path(
        "<uuid:consultation_id>/prescription/items/<int:item_id>/remove/",
        views.prescription_item_remove_view,
        name="item_remove",
    ),
    path("<uuid:consultation_id>/prescription/", views.prescription_print, name="prescription"),
    path("<uuid:consultation_id>/follow-up/", views.follow_up_book, name="follow_up"),
    path("<uuid:consultation_id>/complete/", views.consultation_complete_view, name="complete"),
    path("<uuid:consultation_id>/amend/", views.consultation_amend_view, name="amend"),
    path(
        "<uuid:consultation_id>/amend/diagnosis/",
        views.diagnosis_amend_view,
        name="amend_diagnosis",
    ),
]
