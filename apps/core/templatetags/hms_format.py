from __future__ import annotations

from django import template

from apps.core.formatting import duration_display

register = template.Library()


@register.filter
def duration(seconds: float | str | None) -> str:
    """A step's duration; empty while it has none (a running step's log entry has no
    ``duration`` key, which reaches a filter as "")."""
    if seconds is None or seconds == "":
        return ""
    return duration_display(float(seconds))
