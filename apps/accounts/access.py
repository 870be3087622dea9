"""Who may use which staff page of a hospital."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.models import User
from apps.accounts.rules import may_act_as as may_act_as  # the rule, also from here
from apps.core.http import login_exempt as login_exempt  # the marker, also from here
from apps.core.modules import Module

View = TypeVar("View", bound=Callable[..., Any])


def password_change_exempt(view: View) -> View:
    """Mark a view a user with a temporary password may still reach (change, logout)."""
    view.password_change_exempt = True  # type: ignore[attr-defined]
    return view


def two_factor_exempt(view: View) -> View:
    """Mark a view a signed-in user may reach before giving the second factor (the token
    step and the enrolment themselves)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


def may_use_module(user: User, module: Module) -> bool:
    """The roles the module lets in (``Module.roles``), or an administrator."""
    return may_act_as(user, frozenset(module.roles))


def roles_required(*roles: str) -> Callable[[View], View]:
    """Limit a view inside a module to some roles (403 page for the others); with no
    roles, to hospital administrators."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may_act_as(request.user, allowed):  # type: ignore[arg-type]
                return render(request, "accounts/forbidden.html", status=403)
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        return wrapper  # type: ignore[return-value]

    return decorator
