"""Radiology's section on the consultation page: order imaging for this visit, and the
visit's studies with where each stands."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from apps.accounts.access import may_act_as
from apps.core.visit_sections import VisitSection
from apps.radiology.selectors import radiology_studies_of_visit, study_rows

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

#: the roles that order imaging and read reports (as radiology's own views allow)
ORDERING_ROLES = frozenset({"doctor", "radiologist"})


def radiology_visit_section(
    *, hospital: Hospital, user: User, appointment_id: uuid.UUID
) -> VisitSection | None:
    if not hospital.module_enabled("radiology") or not may_act_as(user, ORDERING_ROLES):
        return None
    order_url = reverse("radiology:order_new", urlconf=settings.HMS_HOSPITAL_URLCONF)
    return VisitSection(
        key="radiology",
        template="radiology/partials/visit_section.html",
        context={
            "rows": study_rows(studies=radiology_studies_of_visit(appointment_id=appointment_id)),
            "order_url": f"{order_url}?appointment={appointment_id}",
        },
        order=45,
    )
