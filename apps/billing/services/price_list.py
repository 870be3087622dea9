"""The hospital's price list of services."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.billing.models import (
    Service,
)
from apps.core.exceptions import ValidationError
from apps.core.money import to_cents
from apps.tenancy.db import tenant_atomic


def _service_clean(*, code: str, name: str, price: Decimal) -> tuple[str, str]:
    code, name = code.strip().upper(), name.strip()
    if not code:
        raise ValidationError(_("Give the service a code."), field="code")
    if not name:
        raise ValidationError(_("Give the service a name."), field="name")
    if price < 0:
        raise ValidationError(_("A price cannot be negative."), field="price")
    if to_cents(price) != price:
        raise ValidationError(_("A price has at most two decimal places."), field="price")
    return code, name


def service_create(
    *, code: str, name: str, price: Decimal, is_active: bool = True, name_az: str = ""
) -> Service:
    """A service on the price list, named in English (``name``) and, where given, in
    Azerbaijani (``name_az``): each reader sees it in their language."""
    code, name = _service_clean(code=code, name=name, price=price)
    with tenant_atomic():
        if Service.objects.filter(code=code).exists():
            raise ValidationError(
                _("Another service already has the code %(code)s.") % {"code": code}, field="code"
            )
        return Service.objects.create(
            code=code, name=name, name_az=name_az.strip(), price=price, is_active=is_active
        )


def service_update(
    *, service: Service, code: str, name: str, price: Decimal, is_active: bool, name_az: str = ""
) -> Service:
    """Change a service; invoices already made keep the price they were made with."""
    code, name = _service_clean(code=code, name=name, price=price)
    with tenant_atomic():
        if Service.objects.filter(code=code).exclude(pk=service.pk).exists():
            raise ValidationError(
                _("Another service already has the code %(code)s.") % {"code": code}, field="code"
            )
        service.code, service.name, service.price, service.is_active = code, name, price, is_active
        service.name_az = name_az.strip()
        service.save()
    return service
