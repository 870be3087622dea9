from __future__ import annotations

from django.urls import path

from apps.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.today, name="today"),
    path("book/", views.book, name="book"),
    path("book/patients/", views.book_patients, name="book_patients"),
    path("book/slot/", views.book_slot, name="book_slot"),
    path("book/walk-in/", views.book_walk_in, name="book_walk_in"),
    path("<uuid:appointment_id>/", views.appointment_detail, name="detail"),
    path("<uuid:appointment_id>/check-in/", views.appointment_check_in, name="check_in"),
    path("<uuid:appointment_id>/cancel/", views.appointment_cancel, name="cancel"),
    path("<uuid:appointment_id>/no-show/", views.appointment_no_show, name="no_show"),
    path("<uuid:appointment_id>/reschedule/", views.appointment_reschedule, name="reschedule"),
    path("unavailability/", views.unavailability_list, name="unavailability_list"),
    path("unavailability/add/", views.unavailability_add, name="unavailability_add"),
    path(
        "unavailability/<uuid:unavailability_id>/",
        views.unavailability_detail,
        name="unavailability",
    ),
    path(
        "unavailability/<uuid:unavailability_id>/delete/",
        views.unavailability_delete,
        name="unavailability_delete",
    ),
    path("settings/", views.settings_view, name="settings"),
]
