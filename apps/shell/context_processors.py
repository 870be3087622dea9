from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.shell.selectors import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The staff menu of the signed-in user, with the place of this page marked (a
    module's pages live in its URL namespace, its key)."""
    hospital = getattr(request, "hospital", None)
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if hospital is None or user is None or not user.is_authenticated:
        return {"menu": []}
    view_name = match.view_name if match is not None else ""
    return {"menu": menu_for(hospital=hospital, user=user, view_name=view_name)}
