"""Sortable columns of the main lists (``templates/partials/sort_header.html``).

A view names its columns and the fields each sorts by, reads ``?sort=`` with
``sorting_from`` and orders its selector's queryset by ``sorting.order_by``; an unknown
key falls back to the default instead of failing. A column of names sorts in Azerbaijani
alphabetical order: name its fields with ``az_order`` (apps.core.collation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import OrderBy
from django.http import HttpRequest

#: a field name (``"-name"`` descending) or an ordering expression (``az_order("name")``)
SortField = str | OrderBy


@dataclass(frozen=True)
class Sorting:
    #: the key as the URL and the headers carry it: ``name``, or ``-name`` descending
    key: str
    #: the fields for ``QuerySet.order_by``
    order_by: tuple[SortField, ...]


def _reverse(field: SortField) -> SortField:
    if isinstance(field, OrderBy):
        reversed_field = field.copy()
        reversed_field.reverse_ordering()
        return reversed_field
    return field[1:] if field.startswith("-") else f"-{field}"


def sorting_from(
    request: HttpRequest, columns: Mapping[str, Sequence[SortField]], *, default: str
) -> Sorting:
    key = request.GET.get("sort", "")
    name = key.removeprefix("-")
    if name not in columns:
        key, name = default, default.removeprefix("-")
    fields = tuple(columns[name])
    if key.startswith("-"):
        fields = tuple(_reverse(field) for field in fields)
    return Sorting(key=key, order_by=fields)
