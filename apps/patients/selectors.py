"""Finding patients in the selected hospital's database."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from apps.accounts.access import may_act_as, may_use_module
from apps.accounts.rules import may_see_clinical_data
from apps.core.exceptions import NotFound
from apps.core.modules import module_for_namespace
from apps.core.text import search_fold, word_start
from apps.patients import history
from apps.patients.models import Patient, name_key

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital
from apps.tenancy.db import current_connection

_PHONE_LIKE = re.compile(r"^\+?[0-9 ()./-]{4,}$")
#: the trigram index answers terms of at least this many characters
TRIGRAM = 3
#: matches taken from the index at most; a query matching more is broad, and its first
#: page is found sooner by reading the patients in list order and keeping those that match
INDEX_MATCHES_CAP = 500
#: SQLite's trigram index table (migration 0002; PostgreSQL indexes the column, 0003)
SEARCH_TABLE = "patients_patient_search"


def search_terms(query: str) -> list[str]:
    """What a search box query must all match in the stored search text, folded like
    it: a word of three characters or more anywhere, a shorter one at the start of a word
    ("  k" — it is typed as the start of a name, and so it is long enough for the
    index). A query that looks like a phone number is one term of its digits, whatever
    spaces or dashes it is typed with."""
    query = query.strip()
    if _PHONE_LIKE.match(query):
        return [re.sub(r"[^0-9+]", "", query)]
    return [
        word if len(word) >= TRIGRAM else word_start(word) for word in search_fold(query).split()
    ]


def patient_search(*, query: str = "") -> QuerySet[Patient]:
    """Patients matching one search box: each word must appear in the name, the patient
    number or the phone (Azerbaijani letters folded: "ism" finds "İsmayılov"; a word of
    one or two letters must start a word: "ka" finds "Kamran", not "Abbaskarimov").

    Fast at any size: a selective query is answered by the trigram index (at most
    INDEX_MATCHES_CAP patients, then sorted); a broad one reads the patients in the
    list's order by its index and stops at the page's end. Nothing here counts all the
    matches.
    """
    terms = search_terms(query)
    patients = Patient.objects.all()
    indexed = [term for term in terms if len(term) >= TRIGRAM]
    if indexed:
        ids = _index_matches(indexed, limit=INDEX_MATCHES_CAP + 1)
        if ids is not None and len(ids) <= INDEX_MATCHES_CAP:
            patients = patients.filter(pk__in=ids)
    for term in terms:
        patients = patients.filter(search_text__contains=term)
    return patients


def _index_matches(terms: list[str], *, limit: int) -> list[str] | None:
    """Ids of up to ``limit`` patients whose search text holds every term, from the
    trigram index; None where the database has no such index."""
    connection = current_connection()
    if connection.vendor == "postgresql":
        return _trigram_matches(terms, limit=limit)
    if connection.vendor != "sqlite":
        return None
    # Each term a quoted phrase (a quote inside doubled): substring matches, all required.
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM {SEARCH_TABLE} JOIN {Patient._meta.db_table} p "
            f"ON p.rowid = {SEARCH_TABLE}.rowid WHERE {SEARCH_TABLE} MATCH %s LIMIT %s",
            [match, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _trigram_matches(terms: list[str], *, limit: int) -> list[str]:
    """PostgreSQL: ``search_text LIKE '%term%'`` for each term, in no order and capped,
    which the pg_trgm GIN index serves (patients 0003) as a bitmap scan.

    Asked apart from the page's query on purpose: PostgreSQL cannot estimate how many
    rows a ``LIKE '%…%'`` matches (it guesses about 1 % for any rare term), so given the
    page's ORDER BY … LIMIT at once it often walks the whole list's index filtering row by
    row — fine for a broad term, a full scan for a rare one (a patient number, a phone).
    Capped and unordered, a query costs at most ``limit`` matches either way."""
    matches = Patient.objects.order_by()
    for term in terms:
        matches = matches.filter(search_text__contains=term)
    return [str(pk) for pk in matches.values_list("pk", flat=True)[:limit]]


def patient_get(*, patient_id: uuid.UUID | str) -> Patient:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound(_("There is no such patient in this hospital."))
    return patient


def patient_likely_duplicates(
    *,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    sex: str,
    phone: str,
    exclude: Patient | None = None,
    limit: int = 10,
) -> list[Patient]:
    """Patients who may be the same person: same name, date of birth and sex, or the
    same (normalised) phone number."""
    same_person = Q(name_key=name_key(first_name, last_name), birth_date=birth_date, sex=sex)
    matches = Patient.objects.filter(same_person | Q(phone=phone))
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    return list(matches[:limit])


def patient_history(
    *, patient: Patient, hospital: Hospital | None = None, user: User | None = None
) -> list[history.HistoryEntry]:
    """Every module's entries about the patient, newest first. Given the viewer, an
    entry whose page they cannot open (a module the hospital does not have, or their
    role may not use) keeps its text but loses its link, and an entry's clinical part
    (diagnoses, medicines, results) is left out for a viewer without clinical access:
    the front desk sees that a visit or an order happened, not what it found."""
    entries = history.collect(patient)
    if hospital is None or user is None:
        return entries
    return [_as_seen_by(entry, hospital=hospital, user=user) for entry in entries]


def _as_seen_by(
    entry: history.HistoryEntry, *, hospital: Hospital, user: User
) -> history.HistoryEntry:
    if not _may_open(entry, hospital=hospital, user=user):
        entry = replace(entry, url="")
    if entry.clinical and not may_see_clinical_data(user, also=entry.clinical_readers):
        entry = replace(entry, detail=entry.public_detail)
    return entry


def _may_open(entry: history.HistoryEntry, *, hospital: Hospital, user: User) -> bool:
    """The module a link belongs to is its URL's namespace (each module's URLs live
    under its key), so no provider has to know who is looking."""
    if not entry.url:
        return True
    try:
        match = resolve(urlsplit(entry.url).path, urlconf=settings.HMS_HOSPITAL_URLCONF)
    except Resolver404:
        return False
    module = module_for_namespace(match.namespaces[0]) if match.namespaces else None
    if module is None:
        return False
    if not hospital.module_enabled(module.key) or not may_use_module(user, module):
        return False
    return entry.roles is None or may_act_as(user, entry.roles)
