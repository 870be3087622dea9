"""Phone numbers, parsed and validated by ``phonenumbers`` (Google's libphonenumber).

Numbers are stored in E.164 (``+994501234567``) and shown in international format
(``+994 50 123 45 67``). A number typed without a country code is read as Azerbaijani
(``050 123 45 67``), which also keeps the numbers stored before this module (as typed,
or as ``+digits``) readable.
"""

from __future__ import annotations

import re

import phonenumbers

#: the country a number without ``+<country code>`` belongs to
DEFAULT_REGION = "AZ"
#: what a person types around the digits; letters ("ext 2") are refused, not dropped
_TYPED = re.compile(r"^\+?[0-9 ()./-]+$")


def _parse(raw: str) -> phonenumbers.PhoneNumber:
    value = raw.strip()
    if not _TYPED.match(value):
        raise ValueError(raw)
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(raw)
    return number


def phone_normalize(raw: str) -> str:
    """``050 123-45-67`` → ``+994501234567``; raises ValueError if it is not a valid
    phone number."""
    return phonenumbers.format_number(_parse(raw), phonenumbers.PhoneNumberFormat.E164)


def phone_display(stored: str) -> str:
    """A stored number in international format; anything unreadable as it is."""
    if not stored:
        return ""
    try:
        number = _parse(stored)
    except ValueError:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_text(stored: str) -> str:
    """The forms a search may type a number in: E.164 and the national digits
    (``+994559876543 0559876543``), so ``(055) 987`` finds it."""
    try:
        number = _parse(stored)
    except ValueError:
        return stored
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164} {re.sub(r'[^0-9]', '', national)}"
