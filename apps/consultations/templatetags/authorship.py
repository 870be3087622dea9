"""``{{ line.author_id|author_in:authors }}``: who wrote a clinical line, by name."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django import template

if TYPE_CHECKING:
    from apps.accounts.models import User

register = template.Library()

#: a line written before its author was recorded
UNKNOWN = "—"


@register.filter
def author_in(user_id: uuid.UUID | None, authors: Mapping[uuid.UUID, User]) -> str:
    """The name of the account ``user_id`` among ``authors`` (``accounts_by_id``); "—"
    when the line has no author recorded or the account is not the hospital's."""
    if not isinstance(authors, Mapping):  # a page that gave no authors
        return UNKNOWN
    account = authors.get(user_id) if user_id is not None else None
    if account is None:
        return UNKNOWN
    return account.get_full_name() or account.get_username()
