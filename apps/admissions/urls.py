from __future__ import annotations

from django.urls import path

from apps.admissions import views

app_name = "admissions"

urlpatterns = [
    path("", views.admitted_list, name="admitted"),
    path("to-admit/", views.to_admit, name="to_admit"),
    path("to-discharge/", views.to_discharge, name="to_discharge"),
    path("beds/", views.bed_maps, name="bed_maps"),
    path("wards/<uuid:ward_id>/beds/", views.bed_map, name="bed_map"),
    path("beds/<uuid:bed_id>/clean/", views.bed_clean, name="bed_clean"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<uuid:request_id>/cancel/", views.request_cancel, name="request_cancel"),
    path("admit/", views.admit, name="admit"),
    path("<uuid:admission_id>/", views.detail, name="detail"),
    path("<uuid:admission_id>/transfer/", views.transfer, name="transfer"),
    path("<uuid:admission_id>/plan/", views.plan, name="plan"),
    path("<uuid:admission_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:admission_id>/discharge/", views.discharge, name="discharge"),
    path("<uuid:admission_id>/summary/", views.summary, name="summary"),
    path("<uuid:admission_id>/nursing/", views.nursing, name="nursing"),
    path("<uuid:admission_id>/vitals/", views.vitals, name="vitals"),
    path("<uuid:admission_id>/notes/", views.note_add, name="note_add"),
    path("<uuid:admission_id>/doses/", views.dose, name="dose"),
    path("setup/", views.setup, name="setup"),
    path("setup/wards/", views.ward_add, name="ward_add"),
    path("setup/wards/<uuid:ward_id>/", views.ward_edit, name="ward_edit"),
    path("setup/wards/<uuid:ward_id>/rooms/", views.room_add, name="room_add"),
    path("setup/rooms/<uuid:room_id>/beds/", views.bed_add, name="bed_add"),
    path("setup/settings/", views.settings_save, name="settings"),
]
