"""Sortable columns of the main lists (``templates/partials/sort_header.html``).

A view names its columns and the fields each sorts by, reads ``?sort=`` with
``sorting_from`` and orders its selector's queryset by ``sorting.order_by``; an unknown
key falls back to the default instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Sorting:
    #: the key as the URL and the headers carry it: ``name``, or ``-name`` descending
    key: str
    #: the fields for ``QuerySet.order_by``
    order_by: tuple[str, ...]


def _reverse(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def sorting_from(
    request: HttpRequest, columns: Mapping[str, Sequence[str]], *, default: str
) -> Sorting:
    key = request.GET.get("sort", "")
    name = key.removeprefix("-")
    if name not in columns:
        key, name = default, default.removeprefix("-")
    fields = tuple(columns[name])
    if key.startswith("-"):
        fields = tuple(_reverse(field) for field in fields)
    return Sorting(key=key, order_by=fields)
