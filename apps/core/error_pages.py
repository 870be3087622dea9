"""The error pages of both hosts (400, 403, 404, 500, 503): branded with the hospital's
name when the request is on a hospital's host, and never a stack trace or the list of
URL patterns. ``hms.urls`` and ``hms.urls_hospital`` name these as their handlers.

The pages are standalone templates (``templates/errors/``) that query nothing: a 500
may come from a database that is not answering, and the hospital is the object the
middleware already put on the request.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The branded page for ``status``; rendering it never raises (a plain page is the
    last resort, so a broken template cannot turn a 404 into a 500)."""
    context = {"hospital": getattr(request, "hospital", None), "status": status}
    html: str
    try:
        html = render_to_string(f"errors/{status}.html", context, request)
    except Exception:
        logger.exception("the %s page could not be rendered", status)
        html = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = error_page(request, 503)
    response["Retry-After"] = "30"
    return response
