"""Messages for htmx swaps: what an action says ("Saved.", "Moved to bed 4.") reaches the
page even when htmx redraws only a section of it.

A full page shows ``messages`` in base.html's ``#messages`` box. A section swapped in by
htmx is not the page, so after an htmx POST whose template did not show the messages
itself, this middleware appends them as an out-of-band swap of that box
(``hx-swap-oob``). Only after a POST (an action): a search, a page of results or a
poll (GET) never takes the messages meant for the page a redirect is about to show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class HtmxMessagesMiddleware:
    """Listed after Django's MessageMiddleware, so it sees the messages before they are
    stored for the next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _shows_messages_out_of_band(request, response):
            return response
        storage = messages.get_messages(request)
        if not isinstance(storage, BaseStorage) or storage.used or not len(storage):
            return response  # the section showed them itself, or there are none
        html = render_to_string(
            "partials/messages.html", {"messages": storage, "out_of_band": True}, request
        )
        response.content = response.content + html.encode(response.charset)
        return response


def _shows_messages_out_of_band(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "POST"
        and bool(getattr(request, "htmx", False))
        and not response.streaming
        and 200 <= response.status_code < 300
        and "HX-Redirect" not in response
        and "HX-Location" not in response
        and response.get("Content-Type", "").startswith("text/html")
    )
