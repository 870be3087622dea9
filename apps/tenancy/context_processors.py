from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def hospital(request: HttpRequest) -> dict[str, Any]:
    return {"hospital": getattr(request, "hospital", None)}
