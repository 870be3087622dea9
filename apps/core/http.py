"""Typed request classes for views (attributes set by the HMS middleware stack)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


class HospitalHostRequest(HttpRequest):
    """A request on a hospital's host, signed in or not (the login page's)."""

    hospital: Hospital
    htmx: HtmxDetails


class HospitalRequest(HospitalHostRequest):
    """A request on a hospital's host by a signed-in member of that hospital."""

    user: User


View = TypeVar("View", bound=Callable[..., Any])


def login_exempt(view: View) -> View:
    """Mark a hospital-host view as usable without signing in (login page, assets, the
    hospital's logo). A marker only: accounts' middleware reads it, so apps that may not
    import accounts (tenancy) mark their views too."""
    view.login_exempt = True  # type: ignore[attr-defined]
    return view
