"""Pages of a long list without counting it: the page's rows and one more, which says
whether there is a next page. Counting every match of a search on each keystroke costs
as much as the search itself on a large hospital; "Next" needs no total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class OpenPage:
    """An uncounted page (``templates/partials/pagination.html``): no page count, no total."""

    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def open_page(queryset: QuerySet[Any], number: str | None, *, size: int) -> OpenPage:
    """Page ``number`` (1 when missing or not a positive number) of ``queryset``."""
    try:
        page = max(1, int(number or 1))
    except ValueError:
        page = 1
    page = min(page, 10_000)  # an offset no one pages to, and no huge OFFSET to scan
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return OpenPage(object_list=rows[:size], number=page, has_next=len(rows) > size)
