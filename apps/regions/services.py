"""The hospital's own reference data: adding regions, cities, clinics and
specializations (``is_canonical=False``, which a canonical sync never touches),
switching any row on or off, and deleting own rows nobody uses."""

from __future__ import annotations

import re
from typing import TypeVar

from django.db import IntegrityError
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.core.phones import phone_normalize
from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.selectors import ReferenceRow, Usage, usage_text
from apps.tenancy.db import tenant_atomic

CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,10}$")

_Row = TypeVar("_Row", Region, City, Clinic, Specialization)


def _clean_name(name: str, *, max_length: int) -> str:
    value = " ".join(name.split())
    if not value:
        raise ValidationError(_("Enter a name."), field="name")
    if len(value) > max_length:
        raise ValidationError(
            _("Use at most %(count)d characters.") % {"count": max_length}, field="name"
        )
    return value


def _clean_code(code: str, *, model: type[Region] | type[Specialization]) -> str:
    value = code.strip().upper()
    if not CODE_PATTERN.match(value):
        raise ValidationError(_("Use 2 to 10 letters or digits, e.g. NAX."), field="code")
    taken = model.objects.filter(code=value).first()
    if taken is not None:
        raise ValidationError(
            _("The code %(code)s is already used by %(name)s.") % {"code": value, "name": taken},
            field="code",
        )
    return value


def _name_taken(siblings: QuerySet[City] | QuerySet[Clinic], name: str) -> bool:
    # compared in Python: SQLite's case-insensitive matching knows only ASCII, and
    # names here are Azerbaijani (Ə/ə, Ü/ü ...)
    wanted = name.casefold()
    return any(taken.casefold() == wanted for taken in siblings.values_list("name", flat=True))


def _ensure_active_parent(parent: Region | City, *, field: str) -> None:
    if not parent.is_active:
        raise ValidationError(
            _("%(name)s is deactivated; reactivate it first.") % {"name": parent}, field=field
        )


def _audit(action: str, row: ReferenceRow, changes: dict[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity=row._meta.model_name or "",
        entity_id=row.pk,
        entity_label=str(row),
        changes=changes,
    )


def _save_new(row: _Row, *, duplicate: str) -> _Row:
    try:
        with tenant_atomic():
            row.save()
            _audit("reference.created", row, {"name": str(row)})
    except IntegrityError:  # the same name or code added a moment ago by someone else
        raise ValidationError(duplicate, field="name") from None
    return row


@audited("reference.created")
def region_create(*, name: str, code: str) -> Region:
    name = _clean_name(name, max_length=120)
    code = _clean_code(code, model=Region)
    return _save_new(
        Region(name=name, code=code),
        duplicate=_("The code %(code)s is already used.") % {"code": code},
    )


@audited("reference.created")
def city_create(*, region: Region, name: str) -> City:
    _ensure_active_parent(region, field="region")
    name = _clean_name(name, max_length=120)
    duplicate = _("%(region)s already has a city called %(name)s.") % {
        "region": region,
        "name": name,
    }
    if _name_taken(City.objects.filter(region=region), name):
        raise ValidationError(duplicate, field="name")
    return _save_new(City(region=region, name=name), duplicate=duplicate)


@audited("reference.created")
def clinic_create(*, city: City, name: str, address: str = "", phone: str = "") -> Clinic:
    _ensure_active_parent(city, field="city")
    name = _clean_name(name, max_length=200)
    phone = phone.strip()
    if phone:
        try:
            phone = phone_normalize(phone)
        except ValueError:
            message = _("Enter a valid phone number, e.g. +994 12 400 00 01.")
            raise ValidationError(message, field="phone") from None
    duplicate = _("%(city)s already has a clinic called %(name)s.") % {"city": city, "name": name}
    if _name_taken(Clinic.objects.filter(city=city), name):
        raise ValidationError(duplicate, field="name")
    return _save_new(
        Clinic(city=city, name=name, address=" ".join(address.split())[:255], phone=phone),
        duplicate=duplicate,
    )


@audited("reference.created")
def specialization_create(
    *, name: str, code: str, description: str = "", name_en: str = ""
) -> Specialization:
    """A hospital's own specialization, named in Azerbaijani (``name``) and, where given,
    in English (``name_en``): each reader sees it in their language."""
    name = _clean_name(name, max_length=120)
    code = _clean_code(code, model=Specialization)
    return _save_new(
        Specialization(
            name=name,
            name_en=" ".join(name_en.split())[:120],
            code=code,
            description=description.strip(),
        ),
        duplicate=_("The code %(code)s is already used.") % {"code": code},
    )


@audited("reference.changed")
def reference_row_set_active(*, row: ReferenceRow, is_active: bool) -> ReferenceRow:
    """Switch a row on or off; allowed for canonical rows too (a hospital may not use
    every canonical clinic). Doctors keep an inactive row; new choices hide it."""
    was_active = row.is_active
    row.is_active = is_active
    with tenant_atomic():
        row.save(update_fields=["is_active"])
        _audit("reference.changed", row, {"is_active": [was_active, is_active]})
    return row


@audited("reference.deleted")
def reference_row_delete(*, row: ReferenceRow) -> None:
    """Delete one of the hospital's own rows; refuse canonical rows and rows in use."""
    if row.is_canonical:
        raise Conflict(
            _("%(name)s is canonical reference data and cannot be deleted; deactivate it instead.")
            % {"name": row}
        )
    try:
        with tenant_atomic():
            _audit("reference.deleted", row, {"name": [str(row), None]})
            row.delete()
    except ProtectedError as exc:
        by_model: dict[type, int] = {}
        for used_by in exc.protected_objects:
            by_model[type(used_by)] = by_model.get(type(used_by), 0) + 1
        usages = sorted(
            (Usage(model, count) for model, count in by_model.items()),
            key=lambda usage: str(usage.model._meta.verbose_name),
        )
        raise Conflict(
            _(
                "%(name)s cannot be deleted while it is in use (%(usages)s). "
                "Move them elsewhere first, or deactivate it."
            )
            % {"name": row, "usages": usage_text(usages)}
        ) from None
