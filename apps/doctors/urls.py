from __future__ import annotations

from django.urls import path

from apps.doctors import views

app_name = "doctors"

urlpatterns = [
    path("", views.doctor_list_view, name="list"),
    path("add/", views.doctor_add, name="add"),
    path("<int:pk>/", views.doctor_detail, name="detail"),
    path("<int:pk>/edit/", views.doctor_edit, name="edit"),
    path("options/cities/", views.city_options, name="city_options"),
    path("options/clinics/", views.clinic_options, name="clinic_options"),
]
