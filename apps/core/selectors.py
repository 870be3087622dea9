from __future__ import annotations

from typing import TYPE_CHECKING

from apps.accounts.access import may_use_module
from apps.tenancy.registry import Module, all_modules

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


def modules_for(*, hospital: Hospital, user: User) -> list[Module]:
    """The modules this user sees: subscribed by the hospital and allowed for the role."""
    return [
        module
        for module in all_modules()
        if hospital.module_enabled(module.key) and may_use_module(user, module)
    ]
