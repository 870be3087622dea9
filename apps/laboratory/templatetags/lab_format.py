from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.numbers import decimal_display
from apps.laboratory.catalogue import DAYS_PER_YEAR
from apps.laboratory.models import Flag, ReferenceRange

register = template.Library()


def _plain(number: Decimal) -> str:
    """A limit as people write it, in the reader's format: 25, 13,5 (az) / 13.5 (en)."""
    return decimal_display(number, trim=True)


@register.simple_tag
def range_text(low: Decimal | None, high: Decimal | None) -> str:
    """``13.5–17.5``, ``≤ 41`` or ``≥ 3``; empty when there is no range."""
    if low is not None and high is not None:
        return f"{_plain(low)}–{_plain(high)}"
    if high is not None:
        return f"≤ {_plain(high)}"
    if low is not None:
        return f"≥ {_plain(low)}"
    return ""


def _age(days: int) -> str:
    if days < 365:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    years = round(days / DAYS_PER_YEAR)
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


@register.filter
def age_band(reference: ReferenceRange) -> str:
    low, high = reference.age_min_days, reference.age_max_days
    if low is None and high is None:
        return _("all ages")
    if low is None:
        return _("under %(age)s") % {"age": _age(high or 0)}
    if high is None:
        return _("%(age)s and over") % {"age": _age(low)}
    return _("%(from)s to under %(to)s") % {"from": _age(low), "to": _age(high)}


@register.filter
def flag_text(flag: str) -> str:
    """The flag as text (never only a colour): ``H``/``L`` with a word."""
    if flag == Flag.HIGH:
        return _("H · high")
    if flag == Flag.LOW:
        return _("L · low")
    return ""


@register.filter
def get_person(people: dict[object, Any], user_id: object) -> str:
    """The name of the account ``user_id`` among ``people`` (accounts by id); empty when
    it is not one of this hospital's."""
    person = people.get(user_id) if user_id else None
    if person is None:
        return ""
    return str(person.get_full_name() or person.username)
