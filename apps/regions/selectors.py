"""Reading reference data: the cascade region → city → clinic, and how much a row is
used. Usage is found through the PROTECT relations pointing at a model, so clinical apps
(doctors today, more later) are counted without this app importing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db import models
from django.db.models import Count, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from apps.core.collation import az_order
from apps.regions.models import City, Clinic, Region, Specialization

ReferenceRow = Region | City | Clinic | Specialization

# The plural names of the models that use reference rows, as "Used by" shows them, for
# makemessages: the tenant models' verbose names are plain strings (making them lazy
# needs a migration in each app), so Usage.label translates them by their text.
USED_BY_NAMES = (gettext_noop("cities"), gettext_noop("clinics"), gettext_noop("doctors"))


@dataclass(frozen=True)
class Usage:
    """``count`` rows of ``model`` point at a reference row and keep it from deletion."""

    model: type[models.Model]
    count: int

    @property
    def label(self) -> str:
        """``Doctors: 3`` (a noun and a number, so no language needs a plural rule)."""
        things = capfirst(gettext(str(self.model._meta.verbose_name_plural)))
        return gettext("%(things)s: %(count)d") % {"things": things, "count": self.count}


def usage_text(usages: list[Usage]) -> str:
    """``Cities: 1, Doctors: 3``."""
    return ", ".join(usage.label for usage in usages)


def _protecting_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    return [
        relation for relation in model._meta.related_objects if relation.on_delete is models.PROTECT
    ]


def regions_active() -> QuerySet[Region]:
    return Region.objects.filter(is_active=True).order_by(az_order("name"))


def _as_id(value: object) -> int | None:
    """A row id from request input; None for anything that is not one (a database
    integer has at most 19 digits)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 18 else None


def cities_of_region(*, region_id: object) -> QuerySet[City]:
    """Active cities of an active region; none for a missing or malformed id."""
    region_pk = _as_id(region_id)
    if region_pk is None:
        return City.objects.none()
    return City.objects.filter(
        region_id=region_pk, region__is_active=True, is_active=True
    ).order_by(az_order("name"))


def clinics_of_city(*, city_id: object) -> QuerySet[Clinic]:
    """Active clinics of an active city; none for a missing or malformed id."""
    city_pk = _as_id(city_id)
    if city_pk is None:
        return Clinic.objects.none()
    return Clinic.objects.filter(city_id=city_pk, city__is_active=True, is_active=True).order_by(
        az_order("name")
    )


def cities_active() -> QuerySet[City]:
    return (
        City.objects.filter(is_active=True, region__is_active=True)
        .select_related("region")
        .order_by(az_order("name"))
    )


def clinics_active() -> QuerySet[Clinic]:
    return (
        Clinic.objects.filter(is_active=True, city__is_active=True)
        .select_related("city", "city__region")
        .order_by(az_order("name"))
    )


def reference_rows(*, model: type[ReferenceRow]) -> list[tuple[ReferenceRow, list[Usage]]]:
    """Every row of ``model`` with what uses it (the hospital's own rows first, by name)."""
    relations = _protecting_relations(model)
    counts = {f"used_by_{i}": Count(r.name, distinct=True) for i, r in enumerate(relations)}
    rows: QuerySet[ReferenceRow] = model.objects.annotate(**counts).order_by(
        "is_canonical", az_order("name")
    )
    if model is City:
        rows = rows.select_related("region")
    elif model is Clinic:
        rows = rows.select_related("city", "city__region")
    return [
        (
            row,
            [
                # a reverse relation's related_model is always a class, never "self"
                Usage(
                    cast("type[models.Model]", relation.related_model), getattr(row, f"used_by_{i}")
                )
                for i, relation in enumerate(relations)
                if getattr(row, f"used_by_{i}")
            ],
        )
        for row in rows
    ]


def reference_counts() -> dict[type[ReferenceRow], tuple[int, int]]:
    """(all rows, the hospital's own rows) per reference model."""
    return {
        model: (model.objects.count(), model.objects.filter(is_canonical=False).count())
        for model in (Region, City, Clinic, Specialization)
    }
