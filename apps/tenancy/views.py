"""Views of a hospital's host that belong to the hospital itself (not to a module)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from apps.core.http import HospitalRequest, login_exempt
from apps.tenancy.branding import hospital_logo_get


@login_exempt  # shown on the sign-in page and in print headers; a logo is not a secret
@require_GET
def hospital_logo_view(request: HospitalRequest) -> HttpResponse:
    """The hospital's logo from the platform database: works the same with DEBUG off and
    on every web process, no media directory to share. 404 when it has none."""
    logo = hospital_logo_get(hospital=request.hospital)
    if logo is None:
        raise Http404("This hospital has no logo")
    etag = f'"{int(logo.updated_at.timestamp())}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(bytes(logo.data), content_type=logo.content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(logo.updated_at.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
