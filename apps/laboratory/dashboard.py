"""The lab technician's tile on the staff dashboard: what waits, what is urgent."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.access import may_act_as
from apps.accounts.models import Role, User
from apps.core.dashboard import Figure, Tile
from apps.laboratory.models import OrderStatus
from apps.laboratory.selectors import lab_worklist_counts
from apps.tenancy.models import Hospital


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("laboratory") or not may_act_as(
        user, frozenset({Role.LAB_TECHNICIAN})
    ):
        return []
    counts = lab_worklist_counts()
    worklist = reverse("laboratory:worklist", urlconf=settings.HMS_HOSPITAL_URLCONF)
    return [
        Tile(
            key="laboratory.worklist",
            title=_("Laboratory"),
            figures=[
                Figure(_("Pending"), str(counts["pending"]), worklist),
                Figure(_("Urgent"), str(counts["urgent"]), worklist),
                Figure(
                    _("Awaiting approval"),
                    str(counts["resulted"]),
                    f"{worklist}?status={OrderStatus.RESULTED}",
                ),
            ],
            url=worklist,
            order=40,
        )
    ]
