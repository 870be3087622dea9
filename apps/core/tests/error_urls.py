"""The hospital URLs plus views that fail on purpose, for the error page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from hms.urls_hospital import handler400, handler403, handler404, handler500
from hms.urls_hospital import urlpatterns as hospital_urlpatterns

SECRET_DETAIL = "internal-detail-that-must-not-leak"


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET_DETAIL)


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET_DETAIL)


def locked(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


urlpatterns = [
    *hospital_urlpatterns,
    path("crash/", crash),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("locked/", locked),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
