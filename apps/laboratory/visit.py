"""The laboratory's section on the consultation page: order tests for this visit, and
the visit's orders with where each stands."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from apps.accounts.access import may_act_as
from apps.accounts.rules import may_write_for_doctor
from apps.appointments.models import Appointment
from apps.consultations.cover import is_covering
from apps.core.visit_sections import VisitSection
from apps.laboratory.selectors import lab_order_rows, lab_orders_of_visit

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

#: the roles that order tests and read results (as the laboratory's own views allow)
ORDERING_ROLES = frozenset({"doctor", "lab_technician"})


def lab_visit_section(
    *, hospital: Hospital, user: User, appointment_id: uuid.UUID
) -> VisitSection | None:
    if not hospital.module_enabled("laboratory") or not may_act_as(user, ORDERING_ROLES):
        return None
    order_url = reverse("laboratory:order_new", urlconf=settings.HMS_HOSPITAL_URLCONF)
    return VisitSection(
        key="laboratory",
        template="laboratory/partials/visit_section.html",
        context={
            "rows": lab_order_rows(orders=lab_orders_of_visit(appointment_id=appointment_id)),
            "order_url": f"{order_url}?appointment={appointment_id}"
            if _may_order_in(user=user, appointment_id=appointment_id)
            else "",
        },
        order=40,
    )


def _may_order_in(*, user: User, appointment_id: uuid.UUID) -> bool:
    """A visit's tests are ordered by whoever writes its consultation: its doctor, or a
    doctor the hospital lets cover (an administrator reads the orders, places none)."""
    appointment = Appointment.objects.select_related("doctor").filter(pk=appointment_id).first()
    return appointment is not None and may_write_for_doctor(
        user, appointment.doctor, covering=is_covering(user=user)
    )
