from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from apps.tenancy import registry


class AuditConfig(registry.TenantAppConfig):
    """Each hospital's append-only audit log of clinical and account events, in the
    hospital's own database. Its page is part of the staff module (administrators)."""

    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from apps.audit import receivers  # noqa: F401  (connects the signals)
