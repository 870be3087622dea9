"""Every string marked for translation has its Azerbaijani translation.

The strings are extracted the way ``make messages`` does (Django's makemessages, so
templates and Python are read by Django's own machinery), from a copy of the sources in
a temporary directory; the committed locale/az/LC_MESSAGES/django.po is compiled with
msgfmt, so fuzzy or empty entries do not count. A new app, template or message without
its translation makes this fail with the list of missing strings.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
COMMITTED_PO = BASE_DIR / "locale" / "az" / "LC_MESSAGES" / "django.po"
#: what makemessages reads (the Makefile's ``messages`` target ignores the same)
SOURCES = ("apps", "hms", "templates")
IGNORED = ("tests", "__pycache__", "migrations", "static", "data")


@contextmanager
def _inside(directory: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


def copy_sources(workdir: Path) -> Path:
    for name in SOURCES:
        shutil.copytree(BASE_DIR / name, workdir / name, ignore=shutil.ignore_patterns(*IGNORED))
    return workdir


def extracted_msgids(workdir: Path) -> set[str]:
    """The msgids makemessages finds in the sources copied to ``workdir``
    (``ctxt\\x04msgid`` for a string with a context, as gettext keys them)."""
    locale = workdir / "locale"
    locale.mkdir()
    with override_settings(LOCALE_PATHS=[locale]), _inside(workdir):
        call_command("makemessages", locale=["az"], no_location=True, verbosity=0)
    text = (locale / "az" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgids = set()
    entry = re.compile(r'(?:^msgctxt "(.*)"\n)?^msgid ((?:".*"\n)+)', re.MULTILINE)
    for context, quoted in entry.findall(text):
        msgid = "".join(re.findall(r'^"(.*)"$', quoted, re.MULTILINE))
        msgid = msgid.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        if msgid:
            msgids.add(f"{context}\x04{msgid}" if context else msgid)
    return msgids


def committed_translations(workdir: Path) -> gettext.GNUTranslations:
    compiled = workdir / "az.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(COMMITTED_PO)], check=True)
    with compiled.open("rb") as mo:
        return gettext.GNUTranslations(mo)


def untranslated(msgids: set[str], translations: gettext.GNUTranslations) -> list[str]:
    catalog = translations._catalog  # type: ignore[attr-defined]
    return sorted(msgid for msgid in msgids if not (catalog.get(msgid) or catalog.get((msgid, 0))))


def test_every_template_and_python_string_is_translated_into_azerbaijani(
    tmp_path: Path,
) -> None:
    msgids = extracted_msgids(copy_sources(tmp_path / "sources"))
    assert len(msgids) > 300  # the extraction really read the templates and the code
    missing = untranslated(msgids, committed_translations(tmp_path))
    assert not missing, (
        f"{len(missing)} string(s) have no Azerbaijani translation: run `make messages` and "
        "fill locale/az/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    )


def test_a_new_template_string_without_a_translation_is_reported(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path / "sources")
    (sources / "templates" / "probe.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody has translated yet" %}</p>'
        '<p>{% translate "Register a patient" %}</p>',
        encoding="utf-8",
    )
    missing = untranslated(extracted_msgids(sources), committed_translations(tmp_path))
    assert "A sentence nobody has translated yet" in missing
    assert "Register a patient" not in missing
