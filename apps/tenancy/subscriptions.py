"""Which staff modules a hospital subscribes to (``Hospital.enabled_modules``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import ValidationError
from apps.core.modules import all_modules
from apps.tenancy.models import Hospital


def hospitals_module_enable(*, hospitals: Iterable[Hospital], key: str) -> int:
    """Add the module ``key`` to every hospital that lacks it; returns how many changed."""
    if key not in {module.key for module in all_modules()}:
        raise ValidationError(_("Unknown module %(key)s.") % {"key": key})
    changed = 0
    with transaction.atomic():
        for hospital in Hospital.objects.select_for_update().filter(
            pk__in=[hospital.pk for hospital in hospitals]
        ):
            if key not in hospital.enabled_modules:
                hospital.enabled_modules = [*hospital.enabled_modules, key]
                hospital.save(update_fields=["enabled_modules", "updated_at"])
                changed += 1
    return changed
