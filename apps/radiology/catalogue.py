"""The canonical starter catalogue (``data/catalogue.json``): modalities and common
examinations with their names in English and Azerbaijani, a starting price, the
patient's preparation and the report's starting text.

Seeding matches rows by code, so it runs again without duplicates. A sync refreshes
what the catalogue owns (names, modality, preparation, report templates) on canonical
rows; the price and whether an examination is offered are the hospital's and are never
overwritten. A hospital's own row with a canonical code is left alone.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from apps.radiology.models import Examination, Modality
from apps.tenancy.db import tenant_atomic

DATA_FILE = Path(__file__).parent / "data" / "catalogue.json"


@cache
def canonical_catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def _refresh(row: Modality | Examination, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return bool(changed)


def seed(*, update_existing: bool = True) -> dict[str, int]:
    """Create (and with ``update_existing`` refresh) the canonical catalogue in the
    selected hospital's database. Returns how many rows were created and updated."""
    data = canonical_catalogue()
    created = updated = 0
    with tenant_atomic():
        modalities: dict[str, Modality] = {}
        for position, entry in enumerate(data["modalities"]):
            values = {"name": entry["name"], "name_az": entry["name_az"], "position": position}
            modality = Modality.objects.filter(code=entry["code"]).first()
            if modality is None:
                modality = Modality.objects.create(code=entry["code"], is_canonical=True, **values)
                created += 1
            elif modality.is_canonical and update_existing:
                updated += _refresh(modality, values)
            modalities[modality.code] = modality
        for position, entry in enumerate(data["examinations"]):
            values = {
                "modality": modalities[entry["modality"]],
                "name": entry["name"],
                "name_az": entry["name_az"],
                "preparation": entry["preparation"],
                "preparation_az": entry["preparation_az"],
                "default_findings": entry["findings"],
                "default_impression": entry["impression"],
                "position": position,
            }
            examination = Examination.objects.filter(code=entry["code"]).first()
            if examination is None:
                Examination.objects.create(
                    code=entry["code"], price=Decimal(entry["price"]), is_canonical=True, **values
                )
                created += 1
            elif examination.is_canonical and update_existing:
                updated += _refresh(examination, values)
    return {"created": created, "updated": updated}
