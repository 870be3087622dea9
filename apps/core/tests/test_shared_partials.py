"""Shared template partials exist once: one field, one pagination."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from apps.core.pagination import OpenPage

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _render(page: object) -> str:
    request = RequestFactory().get("/patients/", {"q": "ism", "page": "2"})
    return render_to_string(
        "partials/pagination.html", {"page": page, "target": "#rows"}, request=request
    )


def test_there_is_one_pagination_partial_and_one_field_partial() -> None:
    names = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.stem.startswith(("pagination", "field"))
    )
    assert names == ["partials/field.html", "partials/pagination.html"]


def test_a_counted_page_says_how_many_pages_and_rows_there_are() -> None:
    page = Paginator(list(range(45)), 20).page(2)
    html = _render(page)
    assert "Page 2 of 3 · 45 in all" in html
    assert 'rel="next"' in html and "Next" in html
    assert "q=ism" in html and 'hx-target="#rows"' in html


def test_an_uncounted_page_offers_more_without_a_total() -> None:
    html = _render(OpenPage(object_list=[1, 2], number=2, has_next=True))
    assert "Page 2" in html and " of " not in html
    assert "More" in html and 'rel="prev"' in html


def test_a_single_page_shows_no_pagination() -> None:
    assert "<nav" not in _render(OpenPage(object_list=[1], number=1, has_next=False))
