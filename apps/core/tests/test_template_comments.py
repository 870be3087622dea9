"""A ``{# … #}`` comment ends on its own line: Django prints one that spans lines as text
on the page (a multi-line note belongs in ``{% comment %}``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def test_no_template_has_a_one_line_comment_spanning_lines() -> None:
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert offenders == []
