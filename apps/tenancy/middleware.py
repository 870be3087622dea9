"""Select the hospital from the Host header for the whole request.

``<subdomain>.<base domain>`` is a hospital and gets the staff URLs; the bare base
domain is the platform (admin). An unknown subdomain is a 404 page — better than
revealing or mixing data — and a hospital that is not ready shows a "being provisioned"
page instead of a stack trace.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.tenancy.context import tenant_context
from apps.tenancy.selectors import hospital_by_host


class HospitalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_platform, hospital = hospital_by_host(request.get_host(), settings.HMS_BASE_DOMAIN)
        request.hospital = hospital  # type: ignore[attr-defined]
        if is_platform:
            return self.get_response(request)
        if hospital is None:
            return render(
                request,
                "tenancy/unknown_hospital.html",
                {"host": request.get_host(), "platform_url": platform_url()},
                status=404,
            )
        if not hospital.is_ready:
            return render(request, "tenancy/not_ready.html", {"hospital": hospital}, status=503)
        request.urlconf = settings.HMS_HOSPITAL_URLCONF  # type: ignore[attr-defined]
        with tenant_context(hospital):
            return self.get_response(request)


def platform_url() -> str:
    port = settings.HMS_PORT
    suffix = "" if port in (80, 443) else f":{port}"
    return f"{settings.HMS_PUBLIC_SCHEME}://{settings.HMS_BASE_DOMAIN}{suffix}/"
