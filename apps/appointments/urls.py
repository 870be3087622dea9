from __future__ import annotations

from django.urls import path

from apps.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.appointment_today, name="today"),
]
