from __future__ import annotations

# Imported as a module: a TenantAppConfig name in this namespace would make Django see
# two AppConfig classes here and pick neither.
from django.utils.translation import gettext_lazy as _

from apps.tenancy import registry


class NumberingConfig(registry.TenantAppConfig):
    name = "apps.numbering"
    label = "numbering"
    verbose_name = _("Document numbers")
