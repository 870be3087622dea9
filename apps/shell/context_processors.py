from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.shell.selectors import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The modules in the navigation, and which one this page belongs to (its URL
    namespace is the module's key), so the navigation can highlight it."""
    hospital = getattr(request, "hospital", None)
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.namespaces[0] if match is not None and match.namespaces else ""
    if hospital is None or user is None or not user.is_authenticated:
        return {"nav_modules": [], "current_module": current}
    return {"nav_modules": modules_for(hospital=hospital, user=user), "current_module": current}
