from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformAuditConfig(AppConfig):
    """The platform's append-only audit log (platform database): what was done to
    hospitals and who signed in to the platform admin."""

    name = "apps.platform_audit"
    label = "platform_audit"
    verbose_name = _("Platform audit log")

    def ready(self) -> None:
        from apps.platform_audit import receivers  # noqa: F401  (connects the signals)
