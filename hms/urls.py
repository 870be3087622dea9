"""URLs of the platform host (the bare base domain): the platform admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from apps.tenancy.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # for load balancers and monitoring (apps/tenancy/health.py)
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

# Branded error pages, never a stack trace or the URL list (apps/core/error_pages.py).
handler400 = "apps.core.error_pages.bad_request"
handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.page_not_found"
handler500 = "apps.core.error_pages.server_error"
