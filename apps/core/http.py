"""Typed request classes for views (attributes set by the HMS middleware stack)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
