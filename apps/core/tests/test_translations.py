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
from html.parser import HTMLParser
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.functional import Promise

from apps.accounts.models import Role
from apps.core.modules import MENU_GROUPS, all_modules, declared_roles
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

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


# -- labels that are read once, at import: translated lazily, or never ---------------------
#
# A label evaluated when its module is imported (a plain string, or gettext instead of
# gettext_lazy) is in the language of whoever started the process, for every reader.


def project_app_configs() -> list[AppConfig]:
    return [config for config in apps.get_app_configs() if config.name.startswith("apps.")]


def translated_now(label: object, catalog: dict[object, str]) -> bool:
    """``label`` is a lazy translation whose msgid has an Azerbaijani translation."""
    if not isinstance(label, Promise):
        return False
    with translation.override(None):  # no catalog: the label reads as its msgid
        msgid = str(label)
    return bool(catalog.get(msgid) or catalog.get((msgid, 0)))


def test_app_module_menu_and_role_labels_are_lazy_and_translated(tmp_path: Path) -> None:
    catalog = committed_translations(tmp_path)._catalog  # type: ignore[attr-defined]
    labels: dict[str, object] = {}
    for config in project_app_configs():
        labels[f"{config.name} verbose_name"] = config.verbose_name
    for module in all_modules():
        labels[f"module {module.key} label"] = module.label
        labels[f"module {module.key} group"] = module.group.label
        if module.description:
            labels[f"module {module.key} description"] = module.description
    for group in MENU_GROUPS:
        labels[f"menu group {group.key}"] = group.label
    for role in [*declared_roles(), *Role.before_modules, *Role.after_modules]:
        labels[f"role {role.value}"] = role.label
    untranslated_labels = [
        f"{where}: {label!r}"
        for where, label in labels.items()
        if not translated_now(label, catalog)
    ]
    assert not untranslated_labels, "\n".join(untranslated_labels)


#: choices that are not words: each language's name in its own tongue, blood groups' symbols
SAME_IN_EVERY_LANGUAGE = {
    ("accounts.User", "language"),
    ("tenancy.Hospital", "language"),
    ("patients.Patient", "blood_group"),
}


def test_every_model_choice_is_lazy_and_translated(tmp_path: Path) -> None:
    catalog = committed_translations(tmp_path)._catalog  # type: ignore[attr-defined]
    untranslated_choices = []
    for config in project_app_configs():
        for model in config.get_models():
            for field in model._meta.get_fields():
                choices = getattr(field, "flatchoices", None) or []
                for value, label in choices:
                    if value in ("", None) or translated_now(label, catalog):
                        continue
                    if (model._meta.label, field.name) in SAME_IN_EVERY_LANGUAGE:
                        continue
                    where = f"{model._meta.label}.{field.name}"
                    untranslated_choices.append(f"{where} = {value!r}: {label!r}")
    assert not untranslated_choices, "\n".join(untranslated_choices)


# -- what a person sees: every page of every role, in Azerbaijani ---------------------------


class VisibleText(HTMLParser):
    """The text nodes and the attributes a person reads (placeholders, titles, labels
    for screen readers, the questions of confirmations), each stripped."""

    READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.parts.append(value.strip())
            if tag == "input" and name == "value" and value and ("type", "submit") in attrs:
                self.parts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


#: links a crawl must not follow: they act (sign out) or leave the hospital's pages
_NOT_FOLLOWED = re.compile(r"^/(logout|admin|static|media|i18n|language)|\.(pdf|csv)$|^//")
_HREF = re.compile(r'href="(/[^"#]*)"')


def english_left(html: str, english: dict[str, str]) -> list[str]:
    """The pieces of visible text that are an English msgid whose Azerbaijani
    translation differs: a string that reached the page untranslated."""
    return [text for text in visible_text(html) if text in english]


def test_every_page_every_role_sees_is_in_azerbaijani(hospital_a: Hospital, tmp_path: Path) -> None:
    catalog = committed_translations(tmp_path)._catalog  # type: ignore[attr-defined]
    english = {
        msgid: translation
        for msgid, translation in catalog.items()
        if isinstance(msgid, str)
        and msgid
        and "\x04" not in msgid
        and "%(" not in msgid
        and translation
        and translation != msgid
    }
    assert len(english) > 1000
    found: dict[str, set[str]] = {}
    pages_read = 0
    for role in [Role.HOSPITAL_ADMIN, *declared_roles()]:
        user = make_user(hospital_a, role=role.value)
        user.language = "az"
        user.save(update_fields=["language"])
        client = hospital_client(hospital_a, user)
        to_visit, seen = ["/"], {"/"}
        while to_visit and len(seen) < PAGES_PER_ROLE:
            path = to_visit.pop(0)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            pages_read += 1
            for text in english_left(html, english):
                found.setdefault(text, set()).add(f"{role.value} {path}")
            for link in _HREF.findall(html):
                link = link.replace("&amp;", "&")
                if link not in seen and not _NOT_FOLLOWED.search(link):
                    seen.add(link)
                    to_visit.append(link)
    assert pages_read > 100  # the crawl reached the modules' pages, not only the menu
    assert not found, "English on Azerbaijani pages:\n" + "\n".join(
        f"{text!r} on {', '.join(sorted(where)[:3])}" for text, where in sorted(found.items())
    )


#: pages a role's crawl reads at most (its menu, each module's pages, one step further)
PAGES_PER_ROLE = 60


def test_english_left_on_a_page_is_found_in_text_and_in_attributes() -> None:
    english = {"Appointments": "Qəbullar", "Cancel this appointment?": "Qəbul ləğv edilsin?"}
    html = (
        '<nav><a href="/a/">Appointments</a></nav><p>Qəbullar</p>'
        '<form data-confirm="Cancel this appointment?"><script>Appointments</script></form>'
    )
    assert english_left(html, english) == ["Appointments", "Cancel this appointment?"]
