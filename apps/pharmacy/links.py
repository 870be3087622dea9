from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def hospital_url(name: str, *args: Any) -> str:
    """A pharmacy page's URL on the hospital's host, also from code that runs outside
    a request on that host (dashboard providers, history entries, tests)."""
    return reverse(name, args=args, urlconf=settings.HMS_HOSPITAL_URLCONF)
