from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.core.selectors import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    hospital = getattr(request, "hospital", None)
    user = getattr(request, "user", None)
    if hospital is None or user is None or not user.is_authenticated:
        return {"nav_modules": []}
    return {"nav_modules": modules_for(hospital=hospital, user=user)}
