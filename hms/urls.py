"""URLs of the platform host (the bare base domain): the platform admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from apps.accounts.admin import platform_password_change
from apps.accounts.language import language_switch_view

urlpatterns = [
    # before the admin's own: clears the forced change of a temporary password
    path("admin/password_change/", platform_password_change, name="platform_password_change"),
    path("admin/", admin.site.urls),
    path("language/", language_switch_view, name="language_switch"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
