"""The address a request came from, as the login throttle and the audit log see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind ``HMS_TRUSTED_PROXY_COUNT`` reverse proxies, each
    appending the address it saw to X-Forwarded-For, it is that many entries from the
    right; anything further left was written by the client and is not trusted. With no
    proxy the socket's address is the only one that cannot be forged."""
    proxies = int(settings.HMS_TRUSTED_PROXY_COUNT)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]
