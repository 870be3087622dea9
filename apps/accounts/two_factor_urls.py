"""The two-factor pages, mounted on a hospital's host (apps.accounts.urls) and on the
platform's (hms/urls.py) under the same names."""

from __future__ import annotations

from django.urls import path

from apps.accounts import two_factor_views as views

urlpatterns = [
    path("", views.manage_view, name="two_factor"),
    path("verify/", views.verify_view, name="two_factor_verify"),
    path("set-up/", views.enrol_view, name="two_factor_enrol"),
    path("new-authenticator/", views.restart_view, name="two_factor_restart"),
    path("turn-off/", views.turn_off_view, name="two_factor_turn_off"),
]
