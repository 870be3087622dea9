"""Who is asking and from where, for the audit logs, without threading the request
through every service: a middleware sets it for the request (a ContextVar, so threads
and Celery tasks see none), record functions read it when not told."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from apps.accounts.addresses import client_address


@dataclass(frozen=True)
class RequestOrigin:
    address: str
    #: the request, to read its user lazily (authentication runs after this middleware)
    request: HttpRequest | None = None

    @property
    def user(self) -> Any:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_origin: ContextVar[RequestOrigin | None] = ContextVar("hms_request_origin", default=None)


def current_origin() -> RequestOrigin | None:
    return _origin.get()


@contextmanager
def request_origin(origin: RequestOrigin | None) -> Iterator[None]:
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


class RequestOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_origin(RequestOrigin(address=client_address(request), request=request)):
            return self.get_response(request)
