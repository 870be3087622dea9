"""URLs of a hospital's host (``<subdomain>.<base domain>``).

Every installed module is mounted at ``/<module key>/`` under its own namespace, from
the registry (``apps.core.modules``), so adding a module is adding an app.
"""

from __future__ import annotations

from django.urls import include, path

from apps.core.modules import installed_modules
from apps.shell import views as shell_views
from apps.tenancy import views as tenancy_views

urlpatterns = [
    path("", shell_views.dashboard, name="dashboard"),
    path("", include("apps.accounts.urls")),
    path("hospital/logo/", tenancy_views.hospital_logo_view, name="hospital_logo"),
]

for installed in installed_modules():
    key = installed.module.key
    urlpatterns.append(path(f"{key}/", include((installed.urlconf, key), namespace=key)))

# Branded error pages, never a stack trace or the URL list (apps/core/error_pages.py).
handler400 = "apps.core.error_pages.bad_request"
handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.page_not_found"
handler500 = "apps.core.error_pages.server_error"
