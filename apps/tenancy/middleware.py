"""Select the hospital from the Host header for the whole request.

``<subdomain>.<base domain>`` is a hospital and gets the staff URLs; the bare base
domain is the platform (admin). An unknown subdomain is a 404 page — better than
revealing or mixing data — and a hospital that is not ready shows a "being provisioned"
page with its job's live progress instead of a stack trace; the page polls itself and
reloads into the hospital's site once it is ready. A job whose worker died is reaped
right there (``jobs.job_reap_if_stale``), so its hospital comes back after
HMS_JOB_STALE_SECONDS even while no worker runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django_htmx.http import HttpResponseClientRefresh, HttpResponseStopPolling

from apps.core.error_pages import service_unavailable
from apps.tenancy.context import tenant_context
from apps.tenancy.hosts import hospital_by_host
from apps.tenancy.jobs.selectors import job_latest
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

#: query parameter of the "being provisioned" page's own polls
PROGRESS_POLL = "provisioning-progress"
#: SQLite errors of a database that is busy or unreachable for now, not broken: the
#: request is answered 503 (try again) rather than 500
UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


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
        polling = PROGRESS_POLL in request.GET and request.headers.get("HX-Request") == "true"
        if not hospital.is_ready and reaped_job_of(hospital):
            hospital.refresh_from_db()  # the reaper may have given the hospital back
        if not hospital.is_ready:
            return not_ready(request, hospital, polling=polling)
        if polling:
            return HttpResponseClientRefresh()  # ready now: reload into the real page
        request.urlconf = settings.HMS_HOSPITAL_URLCONF  # type: ignore[attr-defined]
        with tenant_context(hospital):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A hospital's database that is busy (locked past the busy timeout) or cannot
        be opened answers the branded 503 page; anything else is a 500."""
        if isinstance(exception, OperationalError) and any(
            sign in str(exception).lower() for sign in UNAVAILABLE
        ):
            logger.error("database unavailable for %s", request.get_host(), exc_info=exception)
            return service_unavailable(request)
        return None


def reaped_job_of(hospital: Hospital) -> bool:
    """Reap the hospital's job here if its worker died: with no worker running there is
    no beat either, and the hospital must not stay offline until one comes back."""
    from apps.tenancy.jobs.reaper import job_reap_if_stale

    job = job_latest(hospital)
    return job is not None and job_reap_if_stale(job)


def platform_url() -> str:
    port = settings.HMS_PORT
    suffix = "" if port in (80, 443) else f":{port}"
    return f"{settings.HMS_PUBLIC_SCHEME}://{settings.HMS_BASE_DOMAIN}{suffix}/"


def not_ready(request: HttpRequest, hospital: Hospital, *, polling: bool) -> HttpResponse:
    job = job_latest(hospital)
    # A fixed path, never the request's: an echoed path such as "/\\evil.example/x"
    # would make the poll an absolute URL to another origin. Every path of a hospital
    # that is not ready answers the poll, and a ready one's answer reloads the page the
    # browser is on.
    context = {"hospital": hospital, "job": job, "poll_url": f"/?{PROGRESS_POLL}=1"}
    # before the language middleware has run: in the hospital's own language
    with translation.override(hospital.language):
        if not polling:
            return render(request, "tenancy/not_ready.html", context, status=503)
        html = render_to_string("tenancy/not_ready.html#progress", context, request)
    if hospital.status == Hospital.Status.FAILED:
        return HttpResponseStopPolling(html)
    return HttpResponse(html)
