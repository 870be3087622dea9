from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from apps.core.exceptions import NotFound
from apps.core.http import HospitalRequest

T = TypeVar("T")
PAGE_SIZE = 25


def found(selector: Callable[..., T], **lookup: Any) -> T:
    """The object a URL names in the selected hospital, or 404 (an id of another
    hospital names nothing here)."""
    try:
        return selector(**lookup)
    except NotFound as exc:
        raise Http404(exc.message) from None


def paginate(request: HospitalRequest, rows: QuerySet[Any]) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
