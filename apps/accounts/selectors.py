"""Reading a hospital's accounts. Every query is scoped to one hospital, so an id from
another hospital is simply not found."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from apps.accounts.models import User
from apps.core.collation import az_order
from apps.core.exceptions import NotFound

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


def account_list(
    *, hospital: Hospital, query: str = "", role: str = "", active: bool | None = None
) -> QuerySet[User]:
    """The hospital's accounts, by name; each word of ``query`` must match the username,
    a name or the email."""
    accounts = User.objects.filter(hospital=hospital)
    for term in query.split():
        accounts = accounts.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
        )
    if role:
        accounts = accounts.filter(role=role)
    if active is not None:
        accounts = accounts.filter(is_active=active)
    return accounts.order_by(az_order("last_name"), az_order("first_name"), "username")


def account_get(*, hospital: Hospital, user_id: uuid.UUID | str) -> User:
    user = User.objects.filter(hospital=hospital, pk=user_id).first()
    if user is None:
        raise NotFound(gettext("There is no such account in this hospital."))
    return user


def accounts_by_id(
    *, hospital: Hospital, user_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, User]:
    """The hospital's accounts among ``user_ids``, in one query (for lists of records)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    return {user.pk: user for user in User.objects.filter(hospital=hospital, pk__in=wanted)}
