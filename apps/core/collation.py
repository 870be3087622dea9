"""Names in Azerbaijani alphabetical order, on SQLite and on PostgreSQL.

By code point Əliyeva and İsmayılova came after every other name and Ağcabədi after
Astara. The Azerbaijani alphabet is

    a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z

(x after h, q after k, ı before i), and upper and lower case sort together (I is the
capital of ı, İ of i). ``az_order("last_name")`` is an ordering expression every list's
selector uses: the column with the Azerbaijani collation — on PostgreSQL ICU's
``az-x-icu`` (created by initdb from ICU's locales), on SQLite ``hms_az``, registered on
every connection (``collation_register``) as a Python function over ``az_sort_key``.

Core is the ground floor: this module imports no app of the project.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, OrderBy
from django.db.models.functions import Collate

#: the alphabet; w (foreign names) where the Latin alphabet has it, between v and y
ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvwyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
#: Azerbaijani case folding where it differs from Python's (which lowers I to i and İ to
#: i + a combining dot)
_LOWER = str.maketrans({"I": "ı", "İ": "i"})

SQLITE_COLLATION = "hms_az"
POSTGRESQL_COLLATION = "az-x-icu"


def az_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """The key of ``text`` in Azerbaijani order, case-insensitive: digits first, then
    the alphabet's letters, then anything else by code point."""
    key = []
    for char in text.translate(_LOWER).lower():
        rank = _RANK.get(char)
        if rank is not None:
            key.append((1, rank))
        elif char.isdigit():
            key.append((0, ord(char)))
        else:
            key.append((2, ord(char)))
    return tuple(key)


@functools.lru_cache(maxsize=4096)
def _cached_key(text: str) -> tuple[tuple[int, int], ...]:
    return az_sort_key(text)


def az_compare(left: str, right: str) -> int:
    """SQLite's collation function: -1, 0 or 1. Names equal but for case are ordered by
    code point, so the order is total and the same on every run."""
    left_key, right_key = _cached_key(left), _cached_key(right)
    if left_key != right_key:
        return -1 if left_key < right_key else 1
    return (left > right) - (left < right)


def collation_register(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: give every SQLite connection the ``hms_az`` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, az_compare)


class AzCollate(Collate):
    """``COLLATE`` the Azerbaijani collation of the database the query runs on."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, SQLITE_COLLATION)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        extra_context.setdefault("collation", connection.ops.quote_name(POSTGRESQL_COLLATION))
        return super().as_sql(compiler, connection, **extra_context)


def az_order(field: str) -> OrderBy:
    """Order by ``field`` (``"-name"`` descending) in Azerbaijani alphabetical order."""
    name = field.removeprefix("-")
    return AzCollate(F(name)).desc() if field.startswith("-") else AzCollate(F(name)).asc()
