"""Database helpers for code that works on the selected hospital's database."""

from __future__ import annotations

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from apps.tenancy.context import current_binding
from apps.tenancy.exceptions import NoTenantSelected


def current_alias() -> str:
    """The selected hospital's database alias; raises NoTenantSelected without one."""
    binding = current_binding()
    if binding is None:
        raise NoTenantSelected("this operation")
    return binding.alias


def tenant_atomic(*, savepoint: bool = True) -> transaction.Atomic:
    """``transaction.atomic`` on the selected hospital's database.

    ``transaction.atomic()`` alone opens a transaction on ``default``; tenant code uses
    this so it never has to name a database itself.
    """
    return transaction.atomic(using=current_alias(), savepoint=savepoint)


def current_connection() -> BaseDatabaseWrapper:
    """This thread's connection to the selected hospital's database, for the rare code
    that must speak SQL the ORM cannot (a full-text index, query counting)."""
    return connections[current_alias()]
