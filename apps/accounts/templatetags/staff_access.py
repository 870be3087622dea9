"""``{% may_open "appointments:book" as may_book %}``: show a link only to whom its page
would let in (``apps.accounts.access.may_open``) — templates compare no roles."""

from __future__ import annotations

from typing import Any

from django import template

from apps.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: dict[str, Any], url_name: str) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    hospital = getattr(request, "hospital", None)
    if user is None or hospital is None or not user.is_authenticated:
        return False
    return access.may_open(user, hospital, url_name)
