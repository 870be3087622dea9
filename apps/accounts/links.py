"""Linking a login to a tenant record (a doctor, a staff member, a patient).

The record side — at most one record per login, across every kind of record — is
``apps.core.user_links``; which logins may be linked (active, of the same hospital) is
accounts' business, so the link is made here.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from apps.accounts.services import account_get_linkable
from apps.core.user_links import ensure_user_not_linked

if TYPE_CHECKING:
    from apps.core.models import LinkedToUser
    from apps.tenancy.models import Hospital


def record_link_user(*, record: LinkedToUser, hospital: Hospital, user_id: uuid.UUID | str) -> None:
    """Link the login ``user_id`` to ``record`` (a doctor, staff member, patient ...).

    The account must be active, of the same hospital, and not linked to another record.
    """
    user = account_get_linkable(hospital=hospital, user_id=user_id)
    ensure_user_not_linked(user.pk, to=record)
    record.user_id = user.pk
    record.save(update_fields=["user_id"])
