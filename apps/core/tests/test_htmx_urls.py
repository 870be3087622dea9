"""URLs in hx-* attributes come from reverse() or fixed paths, never from the request
(issue 11, point 5): a template that echoes the request's path into an htmx attribute
lets a crafted path ("/\\other.host/x") point the request at another origin."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

_ECHO = re.compile(r"hx-[a-z-]+=\"[^\"]*\{\{\s*request\.")


def test_no_template_puts_the_request_into_an_htmx_attribute() -> None:
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _ECHO.search(line)
    ]
    assert offenders == []
