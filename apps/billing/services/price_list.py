"""The hospital's price list of services."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
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


SERVICE_FIELDS = ("code", "name", "name_az", "price", "is_active")


def _audit(action: str, service: Service, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="service",
        entity_id=service.pk,
        entity_label=service.code,
        changes=changes,
    )


@audited("service.created")
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
        service = Service.objects.create(
            code=code, name=name, name_az=name_az.strip(), price=price, is_active=is_active
        )
        _audit("service.created", service, changes_between({}, snapshot(service, SERVICE_FIELDS)))
        return service


@audited("service.updated")
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
        before = snapshot(service, SERVICE_FIELDS)
        service.code, service.name, service.price, service.is_active = code, name, price, is_active
        service.name_az = name_az.strip()
        service.save()
        _audit(
            "service.updated", service, changes_between(before, snapshot(service, SERVICE_FIELDS))
        )
    return service
