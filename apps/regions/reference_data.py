"""Seeding and syncing the canonical regions, cities, clinics and specializations.

Rows are matched by natural key (region code, city name in region, clinic name in city,
specialization code), so seeding runs again without duplicates. A sync adds what is new
and updates canonical rows that changed; it never deletes, and never touches a row the
hospital added itself.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models

from apps.regions.models import City, Clinic, Region, Specialization
from apps.tenancy.db import tenant_atomic

DATA_FILE = Path(__file__).parent / "data" / "reference_data.json"


@cache
def canonical_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


class _Counter:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        *,
        update_existing: bool,
    ) -> models.Model | None:
        """The canonical row for ``lookup``, created or brought up to date; None when
        the hospital owns a row with that key (their addition wins)."""
        row = model._default_manager.filter(**lookup).first()
        if row is None:
            self.created += 1
            return model._default_manager.create(**lookup, **values, is_canonical=True)
        if not row.is_canonical:  # type: ignore[attr-defined]
            return None
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if changed and update_existing:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
            self.updated += 1
        return row


def seed(*, update_existing: bool = True) -> dict[str, int]:
    """Create (and with ``update_existing`` refresh) the canonical reference data in the
    selected hospital's database. Returns how many rows were created and updated."""
    data = canonical_data()
    counter = _Counter()
    with tenant_atomic():
        for region_data in data["regions"]:
            region = counter.upsert(
                Region,
                {"code": region_data["code"]},
                {"name": region_data["name"]},
                update_existing=update_existing,
            )
            if region is None:
                continue
            for city_data in region_data["cities"]:
                city = counter.upsert(
                    City,
                    {"region": region, "name": city_data["name"]},
                    {},
                    update_existing=update_existing,
                )
                if city is None:
                    continue
                for clinic_data in city_data["clinics"]:
                    counter.upsert(
                        Clinic,
                        {"city": city, "name": clinic_data["name"]},
                        {
                            "address": clinic_data.get("address", ""),
                            "phone": clinic_data.get("phone", ""),
                        },
                        update_existing=update_existing,
                    )
        for spec_data in data["specializations"]:
            counter.upsert(
                Specialization,
                {"code": spec_data["code"]},
                {
                    "name": spec_data["name"],
                    "name_en": spec_data.get("names", {}).get("en", ""),
                    "description": spec_data.get("description", ""),
                },
                update_existing=update_existing,
            )
    return {"created": counter.created, "updated": counter.updated}
