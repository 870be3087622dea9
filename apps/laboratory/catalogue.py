"""The canonical starter catalogue (``data/catalogue.json``): common tests with their
reference ranges by sex and age, and the panels made of them.

Seeding matches tests and panels by code, so it runs again without duplicates. A sync
refreshes what the catalogue owns (names in both languages, sample type, unit,
plausible limits, ranges, a panel's components) on canonical rows; the price and
whether a test is offered are the hospital's and are never overwritten. A hospital's
own test with a canonical code wins: it is left alone. Results copy the range that
applied, so refreshing ranges never rewrites an existing report.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from apps.laboratory.models import LabPanel, LabTest, PanelTest, ReferenceRange, ResultKind
from apps.tenancy.db import tenant_atomic

DATA_FILE = Path(__file__).parent / "data" / "catalogue.json"
_AGE = re.compile(r"^(\d+)([dy])$")
DAYS_PER_YEAR = 365.25


@cache
def canonical_catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def age_days(text: str | None) -> int | None:
    """``"30d"`` → 30, ``"18y"`` → 6575 (years of 365.25 days, rounded up so a band
    starting at 18 years never takes in someone a day short of it); None stays None."""
    if text is None:
        return None
    match = _AGE.match(text)
    if match is None:
        raise ValueError(f"an age is a number of days or years, like 30d or 18y: {text!r}")
    number, unit = int(match[1]), match[2]
    return number if unit == "d" else math.ceil(number * DAYS_PER_YEAR)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _range_rows(test_data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            row.get("sex", "any"),
            age_days(row.get("age_min")),
            age_days(row.get("age_max")),
            _decimal(row.get("low")),
            _decimal(row.get("high")),
        )
        for row in test_data["ranges"]
    ]


def _existing_range_rows(test: LabTest) -> set[tuple[Any, ...]]:
    return {(r.sex, r.age_min_days, r.age_max_days, r.low, r.high) for r in test.ranges.all()}


def seed(*, update_existing: bool = True) -> dict[str, int]:
    """Create (and with ``update_existing`` refresh) the canonical catalogue in the
    selected hospital's database. Returns how many rows were created and updated."""
    data = canonical_catalogue()
    created = updated = 0
    with tenant_atomic():
        tests: dict[str, LabTest] = {}
        for position, test_data in enumerate(data["tests"]):
            plausible = test_data.get("plausible") or [None, None]
            values = {
                "name": test_data["name"],
                "name_az": test_data.get("name_az", ""),
                "sample_type": test_data["sample_type"],
                "result_kind": test_data.get("result_kind", ResultKind.NUMERIC),
                "unit": test_data.get("unit", ""),
                "plausible_low": _decimal(plausible[0]),
                "plausible_high": _decimal(plausible[1]),
                "position": position,
            }
            test = LabTest.objects.filter(code=test_data["code"]).first()
            is_new = test is None
            if test is None:
                test = LabTest.objects.create(
                    code=test_data["code"],
                    price=Decimal(test_data["price"]),
                    is_canonical=True,
                    **values,
                )
                created += 1
            elif not test.is_canonical:
                continue
            elif update_existing:
                changed = [name for name, value in values.items() if getattr(test, name) != value]
                if changed:
                    for name in changed:
                        setattr(test, name, values[name])
                    test.save(update_fields=changed)
                    updated += 1
            tests[test.code] = test
            wanted = _range_rows(test_data)
            if _existing_range_rows(test) != set(wanted) and (
                update_existing or not test.ranges.exists()
            ):
                test.ranges.all().delete()
                ReferenceRange.objects.bulk_create(
                    ReferenceRange(
                        test=test,
                        sex=sex,
                        age_min_days=age_min,
                        age_max_days=age_max,
                        low=low,
                        high=high,
                    )
                    for sex, age_min, age_max, low, high in wanted
                )
                updated += 0 if is_new else 1
        for position, panel_data in enumerate(data["panels"]):
            panel = LabPanel.objects.filter(code=panel_data["code"]).first()
            if panel is None:
                panel = LabPanel.objects.create(
                    code=panel_data["code"],
                    name=panel_data["name"],
                    name_az=panel_data.get("name_az", ""),
                    price=Decimal(panel_data["price"]),
                    position=position,
                    is_canonical=True,
                )
                created += 1
            elif not panel.is_canonical or not update_existing:
                continue
            elif (panel.name, panel.name_az) != (panel_data["name"], panel_data.get("name_az", "")):
                panel.name, panel.name_az = panel_data["name"], panel_data.get("name_az", "")
                panel.save(update_fields=["name", "name_az"])
                updated += 1
            components = [tests[code] for code in panel_data["tests"] if code in tests]
            if [c.test_id for c in panel.components.all()] != [t.pk for t in components]:
                panel.components.all().delete()
                PanelTest.objects.bulk_create(
                    PanelTest(panel=panel, test=test, position=index)
                    for index, test in enumerate(components)
                )
    return {"created": created, "updated": updated}
