"""The emergency tile: who is waiting, who is being treated, whose target is breached."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.rules import may_act_as
from apps.core.dashboard import Figure, Tile
from apps.emergency.models import ON_THE_BOARD, EmergencyVisit, VisitStatus

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

ROLES = {"doctor", "nurse", "receptionist"}


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("emergency") or not may_act_as(user, ROLES):
        return []
    counts = EmergencyVisit.objects.filter(status__in=ON_THE_BOARD).aggregate(
        waiting=Count("pk", filter=Q(status=VisitStatus.WAITING)),
        treated=Count("pk", filter=Q(status=VisitStatus.IN_TREATMENT)),
        breached=Count("pk", filter=Q(status=VisitStatus.WAITING, attend_by__lt=timezone.now())),
    )
    url = reverse("emergency:board", urlconf=settings.HMS_HOSPITAL_URLCONF)
    return [
        Tile(
            key="emergency.board",
            title=_("Emergency department"),
            figures=[
                Figure(_("Waiting"), str(counts["waiting"]), url),
                Figure(_("In treatment"), str(counts["treated"]), url),
                Figure(_("Past their target time"), str(counts["breached"]), url),
            ],
            url=url,
            order=5,
        )
    ]
