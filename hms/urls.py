"""URLs of the platform host (the bare base domain): the platform admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from apps.accounts.admin import platform_password_change
from apps.accounts.language import language_switch_view
from apps.tenancy.jobs.health import healthz

urlpatterns = [
    # before the admin's own: clears the forced change of a temporary password
    path("admin/password_change/", platform_password_change, name="platform_password_change"),
    # before the admin's own catch-all: the second factor of the platform's accounts
    path("admin/two-factor/", include("apps.accounts.two_factor_urls")),
    path("admin/", admin.site.urls),
    path("language/", language_switch_view, name="language_switch"),
    # for load balancers and monitoring (apps/tenancy/jobs/health.py)
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

# Branded error pages, never a stack trace or the URL list (apps/core/error_pages.py).
handler400 = "apps.core.error_pages.bad_request"
handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.page_not_found"
handler500 = "apps.core.error_pages.server_error"
