from __future__ import annotations

from django.urls import path

from apps.patients import allergy_views, views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("register/", views.patient_register_view, name="register"),
    path("<uuid:patient_id>/", views.patient_detail, name="detail"),
    path("<uuid:patient_id>/edit/", views.patient_edit, name="edit"),
    path("<uuid:patient_id>/allergies/", allergy_views.allergy_add, name="allergy_add"),
    path(
        "<uuid:patient_id>/allergies/<int:allergy_id>/",
        allergy_views.allergy_change,
        name="allergy_change",
    ),
    path(
        "<uuid:patient_id>/allergies/none-known/",
        allergy_views.no_known_allergies,
        name="no_known_allergies",
    ),
]
