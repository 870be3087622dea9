from __future__ import annotations

from django import template

from apps.core.formatting import duration_display

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    return "" if seconds is None else duration_display(float(seconds))
