"""What an htmx action says reaches the page: messages out of band after an htmx POST."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.core.htmx_messages import HtmxMessagesMiddleware


def _request(method: str, *, htmx: bool) -> HttpRequest:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request: HttpRequest = getattr(RequestFactory(), method)("/x/", **headers)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    request.htmx = htmx  # type: ignore[attr-defined]
    return request


def _after(request: HttpRequest, body: str = "<div id='section'>drawn</div>") -> str:
    def view(request: HttpRequest) -> HttpResponse:
        messages.success(request, "Ward added.")
        return HttpResponse(body)

    return HtmxMessagesMiddleware(view)(request).content.decode()


def test_an_htmx_action_says_its_success_out_of_band() -> None:
    html = _after(_request("post", htmx=True))
    assert html.startswith("<div id='section'>drawn</div>")
    assert 'id="messages"' in html and 'hx-swap-oob="true"' in html and "Ward added." in html


def test_a_plain_post_and_an_htmx_get_leave_the_messages_to_the_next_page() -> None:
    assert "Ward added." not in _after(_request("post", htmx=False))
    assert "Ward added." not in _after(_request("get", htmx=True))


def test_a_section_that_showed_the_messages_itself_gets_no_second_copy() -> None:
    request = _request("post", htmx=True)

    def view(request: HttpRequest) -> HttpResponse:
        messages.success(request, "Line removed.")
        shown = " ".join(str(message) for message in messages.get_messages(request))
        return HttpResponse(f"<article>{shown}</article>")

    html = HtmxMessagesMiddleware(view)(request).content.decode()
    assert html == "<article>Line removed.</article>"
