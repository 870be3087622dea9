"""Azerbaijani alphabetical order: the key SQLite's collation compares by (the lists on
SQLite: apps/patients/tests/test_az_order.py; on PostgreSQL: test_az_order_postgresql.py)."""

from __future__ import annotations

import random

from apps.core.collation import az_compare, az_sort_key

#: in Azerbaijani order: a ç ə h x ı (whose capital is I) i (İ) k q z
SURNAMES = [
    "Abbasova",
    "Çələbiyeva",
    "Əliyeva",
    "Hüseynova",
    "Xəlilova",
    "Ibrahimova",
    "İsmayılova",
    "Kərimova",
    "Qasımova",
    "Zeynalova",
]


def shuffled(names: list[str]) -> list[str]:
    copy = list(names)
    random.Random(19).shuffle(copy)
    return copy


def test_the_key_follows_the_azerbaijani_alphabet_whatever_the_case() -> None:
    assert sorted(shuffled(SURNAMES), key=az_sort_key) == SURNAMES
    assert sorted(["Astara", "Ağcabədi"], key=az_sort_key) == ["Ağcabədi", "Astara"]
    assert az_sort_key("İSMAYILOVA") == az_sort_key("ismayılova")
    assert az_compare("əliyeva", "Əliyeva") != 0  # equal but for case: still a total order
    assert az_compare("Əliyeva", "Əliyeva") == 0
    assert sorted(["b", "a2", "a10", "a"], key=az_sort_key) == ["a", "a10", "a2", "b"]
