"""Typed request classes for views (attributes set by the HMS middleware stack)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


class HospitalRequest(HttpRequest):
    """A request on a hospital's host by a signed-in member of that hospital."""

    hospital: Hospital
    htmx: HtmxDetails
    user: User  # type: ignore[assignment]
