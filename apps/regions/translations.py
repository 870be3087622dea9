"""Reference data in the reader's language: the canonical specializations carry their
names in other languages in data/reference_data.json (``"names": {"en": ...}``); the
name stored in the row is the Azerbaijani one. A hospital's own rows have one name."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).parent / "data" / "reference_data.json"


@cache
def specialization_names() -> dict[str, dict[str, str]]:
    """``{code: {language: name}}`` of the canonical specializations."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {row["code"]: row.get("names", {}) for row in data["specializations"]}


def localized_name(*, code: str, name: str, is_canonical: bool) -> str:
    """``name`` in the active language where the canonical data has a translation."""
    if not is_canonical:
        return name
    language = (get_language() or "").split("-")[0]
    return specialization_names().get(code, {}).get(language, name)
