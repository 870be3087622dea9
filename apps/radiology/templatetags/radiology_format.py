from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person_name(people: dict[object, Any], user_id: object) -> str:
    """The name of the account ``user_id`` among ``people`` (accounts by id); empty when
    it is not one of this hospital's."""
    person = people.get(user_id) if user_id else None
    if person is None:
        return ""
    return str(person.get_full_name() or person.username)
