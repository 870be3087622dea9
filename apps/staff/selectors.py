"""Reading staff records and the accounts page's rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.selectors import account_list
from apps.core.exceptions import NotFound
from apps.core.models import LinkedToUser
from apps.core.user_links import linked_record_models
from apps.staff.models import StaffMember
from apps.tenancy.models import Hospital


@dataclass(frozen=True)
class AccountRow:
    user: User
    #: the doctor, staff member or patient record the login is linked to, if any
    record: LinkedToUser | None

    @property
    def staff_member(self) -> StaffMember | None:
        return self.record if isinstance(self.record, StaffMember) else None

    @property
    def record_kind(self) -> str:
        return str(self.record._meta.verbose_name) if self.record is not None else ""


def staff_member_search(*, query: str = "") -> QuerySet[StaffMember]:
    """Staff records whose name, job title or department contain every word of ``query``."""
    staff = StaffMember.objects.all()
    for term in query.casefold().split():
        staff = staff.filter(search_text__contains=term)
    return staff


def staff_member_get(*, staff_member_id: uuid.UUID | str) -> StaffMember:
    staff_member = StaffMember.objects.filter(pk=staff_member_id).first()
    if staff_member is None:
        raise NotFound(_("There is no such staff record in this hospital."))
    return staff_member


def linked_records_by_user(*, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, LinkedToUser]:
    """The record each login is linked to, in the selected hospital, one query per kind
    of record (doctor, staff member, patient ...)."""
    wanted = set(user_ids)
    records: dict[uuid.UUID, LinkedToUser] = {}
    if not wanted:
        return records
    for model in linked_record_models():
        for record in model._default_manager.filter(user_id__in=wanted):
            records[record.user_id] = record  # type: ignore[index]
    return records


def account_rows(*, users: Iterable[User]) -> list[AccountRow]:
    users = list(users)
    records = linked_records_by_user(user_ids=[user.pk for user in users])
    return [AccountRow(user=user, record=records.get(user.pk)) for user in users]


def linkable_accounts(*, hospital: Hospital) -> list[User]:
    """Active staff logins of the hospital not yet linked to any record."""
    candidates = list(account_list(hospital=hospital, active=True).exclude(role=Role.PATIENT))
    linked = linked_records_by_user(user_ids=[user.pk for user in candidates])
    return [user for user in candidates if user.pk not in linked]
