"""Who may use which staff page of a hospital."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apps.accounts.models import User
from apps.tenancy.registry import Module

View = TypeVar("View", bound=Callable[..., Any])


def login_exempt(view: View) -> View:
    """Mark a hospital-host view as usable without signing in (login page, assets)."""
    view.login_exempt = True  # type: ignore[attr-defined]
    return view


def password_change_exempt(view: View) -> View:
    """Mark a view a user with a temporary password may still reach (change, logout)."""
    view.password_change_exempt = True  # type: ignore[attr-defined]
    return view


def may_use_module(user: User, module: Module) -> bool:
    return user.is_hospital_admin or user.role in module.roles
