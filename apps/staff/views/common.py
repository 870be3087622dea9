"""What the staff views share: page-or-fragment rendering and service errors on forms."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from apps.core.exceptions import HMSError
from apps.core.http import HospitalRequest

PAGE_SIZE = 25


def page_or_fragment(request: HospitalRequest, template: str, partial: str) -> str:
    """The whole page, or for an htmx request just the partial it swaps in."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def redirect_to(request: HospitalRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def add_errors(form: Form, error: HMSError) -> None:
    """Put a service's error next to its field (or above the form)."""
    errors = getattr(error, "errors", None) or {error.field: error.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
