from __future__ import annotations

from django.urls import path

from apps.appointments.views import appointment, board, booking, booking_rules, unavailability

app_name = "appointments"

urlpatterns = [
    path("", board.today, name="today"),
    path("book/", booking.book, name="book"),
    path("book/patients/", booking.book_patients, name="book_patients"),
    path("book/slot/", booking.book_slot, name="book_slot"),
    path("book/walk-in/", booking.book_walk_in, name="book_walk_in"),
    path("<uuid:appointment_id>/", appointment.appointment_detail, name="detail"),
    path("<uuid:appointment_id>/check-in/", appointment.appointment_check_in, name="check_in"),
    path("<uuid:appointment_id>/cancel/", appointment.appointment_cancel, name="cancel"),
    path("<uuid:appointment_id>/no-show/", appointment.appointment_no_show, name="no_show"),
    path(
        "<uuid:appointment_id>/reschedule/", appointment.appointment_reschedule, name="reschedule"
    ),
    path("unavailability/", unavailability.unavailability_list, name="unavailability_list"),
    path("unavailability/add/", unavailability.unavailability_add, name="unavailability_add"),
    path(
        "unavailability/<uuid:unavailability_id>/",
        unavailability.unavailability_detail,
        name="unavailability",
    ),
    path(
        "unavailability/<uuid:unavailability_id>/delete/",
        unavailability.unavailability_delete,
        name="unavailability_delete",
    ),
    path("settings/", booking_rules.settings_view, name="settings"),
]
