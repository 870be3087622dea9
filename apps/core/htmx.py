"""What staff views share: one URL serving a page or its htmx fragment, redirects that
work for both, and business errors shown next to their form field."""

from __future__ import annotations

from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect, push_url

from apps.core.exceptions import HMSError
from apps.core.http import HospitalRequest


def page_or_fragment(request: HospitalRequest, template: str, partial: str) -> str:
    """The whole page, or for an htmx request just the partial it swaps in (a history
    restore after a back button needs the whole page again)."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def redirect_to(request: HospitalRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def add_errors(form: BaseForm, error: HMSError) -> None:
    """Put a service's error next to its field (or above the form); an error carrying
    ``errors`` (field → message) marks every field at once."""
    errors = getattr(error, "errors", None) or {error.field: error.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


def shown_once_at(request: HospitalRequest, response: HttpResponse, url: str) -> HttpResponse:
    """A response that shows something once (a temporary password) after a form was
    saved: the address bar moves to ``url`` (the saved object's page), so a reload
    shows that page instead of the form again, and never the password."""
    if request.htmx:
        push_url(response, url)
    return response
