"""Names in the reader's language.

A record that people read in both languages keeps the name it was entered with in
``name`` (or ``title``) and its translation in ``name_<language>`` (``name_az`` for a
lab test named in English, ``name_en`` for a specialization named in Azerbaijani).
Screens, reports and prints show ``display_name(record)``: the translation for the
active language when there is one, else the name as entered — so a row nobody
translated still reads as it was typed.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def reader_language() -> str:
    """The active language without its region (``"az"``, ``"en"``)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def display_name(record: object, field: str = "name") -> str:
    """``record.<field>_<language>`` when set, else ``record.<field>``."""
    translated = getattr(record, f"{field}_{reader_language()}", "")
    return str(translated or getattr(record, field))
