"""URLs of a hospital's host (``<subdomain>.<base domain>``).

Every tenant app that declares a staff module is mounted at ``/<module key>/`` under its
own namespace, so adding a module is adding an app.
"""

from __future__ import annotations

from django.urls import include, path

from apps.core import views as core_views
from apps.tenancy import views as tenancy_views
from apps.tenancy.registry import tenant_app_configs

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("", include("apps.accounts.urls")),
    path("hospital/logo/", tenancy_views.hospital_logo_view, name="hospital_logo"),
]

for config in tenant_app_configs():
    if config.staff_module is not None:
        urlpatterns.append(
            path(
                f"{config.staff_module.key}/",
                include(
                    (f"{config.name}.urls", config.staff_module.key),
                    namespace=config.staff_module.key,
                ),
            )
        )

# Branded error pages, never a stack trace or the URL list (apps/core/error_pages.py).
handler400 = "apps.core.error_pages.bad_request"
handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.page_not_found"
handler500 = "apps.core.error_pages.server_error"
