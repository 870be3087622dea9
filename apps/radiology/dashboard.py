"""The radiologist's tile on the staff dashboard: what waits, what is urgent, what
awaits a second reader."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.access import may_act_as
from apps.accounts.models import Role, User
from apps.core.dashboard import Figure, Tile
from apps.radiology.models import StudyStatus
from apps.radiology.selectors import radiology_worklist_counts
from apps.tenancy.models import Hospital


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("radiology") or not may_act_as(
        user, frozenset({Role.RADIOLOGIST})
    ):
        return []
    counts = radiology_worklist_counts()
    worklist = reverse("radiology:worklist", urlconf=settings.HMS_HOSPITAL_URLCONF)
    return [
        Tile(
            key="radiology.worklist",
            title=_("Radiology"),
            figures=[
                Figure(_("Pending"), str(counts["pending"]), worklist),
                Figure(_("Urgent"), str(counts["urgent"]), worklist),
                Figure(
                    _("Awaiting verification"),
                    str(counts[StudyStatus.REPORTED.value]),
                    f"{worklist}?status={StudyStatus.REPORTED}",
                ),
            ],
            url=worklist,
            order=45,
        )
    ]
