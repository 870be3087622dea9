"""What the staff views share beyond apps.core.htmx."""

from __future__ import annotations

PAGE_SIZE = 25
