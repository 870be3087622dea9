"""Reading the laboratory of the selected hospital."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Role
from apps.core.exceptions import NotFound
from apps.core.names import display_name
from apps.core.text import search_fold
from apps.doctors.models import Doctor
from apps.laboratory.models import (
    Flag,
    LabOrder,
    LabPanel,
    LabResult,
    LabTest,
    OrderStatus,
    PanelTest,
    Priority,
    ReferenceRange,
)
from apps.laboratory.services import age_in_days, reference_range_for
from apps.patients import history
from apps.patients.models import Patient

#: urgent first, then the oldest order: the lab works its list from the top
_URGENT_FIRST = Case(
    When(priority=Priority.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)


@dataclass(frozen=True)
class OrderRow:
    """An order in a list, with how many tests it holds and how many are out of range."""

    order: LabOrder
    test_count: int
    abnormal_count: int
    url: str


def lab_order_rows(*, orders: Iterable[LabOrder]) -> list[OrderRow]:
    """Rows for one page of orders: the counts come from one grouped query over that
    page's results, so a list costs the same whatever the number of orders behind it."""
    orders = list(orders)
    counts = {
        row["order_id"]: row
        for row in LabResult.objects.filter(order__in=[order.pk for order in orders])
        .values("order_id")
        .annotate(tests=Count("pk"), abnormal=Count("pk", filter=Q(flag__in=[Flag.LOW, Flag.HIGH])))
    }
    empty = {"tests": 0, "abnormal": 0}
    # one reverse() per list, not per row: it is the costliest part of a 50-row page
    placeholder = uuid.UUID(int=0)
    prefix = reverse(
        "laboratory:detail", args=[placeholder], urlconf=settings.HMS_HOSPITAL_URLCONF
    ).replace(f"{placeholder}/", "")
    return [
        OrderRow(
            order=order,
            test_count=counts.get(order.pk, empty)["tests"],
            abnormal_count=counts.get(order.pk, empty)["abnormal"],
            url=f"{prefix}{order.pk}/",
        )
        for order in orders
    ]


def _listed(orders: QuerySet[LabOrder]) -> QuerySet[LabOrder]:
    return orders.select_related("patient", "ordering_doctor")


def lab_worklist(*, status: str = "", query: str = "") -> QuerySet[LabOrder]:
    """Orders the lab still has work on (or those of one pending ``status``), urgent
    first, then oldest first; ``query`` matches the order number or the patient."""
    pending = [s.value for s in (OrderStatus.ORDERED, OrderStatus.COLLECTED, OrderStatus.RESULTED)]
    orders = LabOrder.objects.filter(status__in=[status] if status in pending else pending)
    for term in search_fold(query).split()[:5]:
        orders = orders.filter(Q(number__icontains=term) | Q(patient__search_text__contains=term))
    return _listed(orders).order_by(_URGENT_FIRST, "created_at")


def lab_worklist_counts() -> dict[str, int]:
    """How many orders wait in each pending state, and how many of them are urgent."""
    counts = LabOrder.objects.filter(
        status__in=[OrderStatus.ORDERED, OrderStatus.COLLECTED, OrderStatus.RESULTED]
    ).aggregate(
        ordered=Count("pk", filter=Q(status=OrderStatus.ORDERED)),
        collected=Count("pk", filter=Q(status=OrderStatus.COLLECTED)),
        resulted=Count("pk", filter=Q(status=OrderStatus.RESULTED)),
        urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
    )
    counts["pending"] = counts["ordered"] + counts["collected"] + counts["resulted"]
    return counts


def doctor_for_user(*, user_id: uuid.UUID) -> Doctor | None:
    """The doctor record a login is linked to, if any."""
    return Doctor.objects.filter(user_id=user_id).first()


def lab_orders_of_doctor(*, doctor: Doctor) -> QuerySet[LabOrder]:
    """A doctor's orders, newest first (cancelled ones too: the doctor should know)."""
    return _listed(LabOrder.objects.filter(ordering_doctor=doctor)).order_by("-created_at")


def lab_orders_of_visit(*, appointment_id: uuid.UUID) -> QuerySet[LabOrder]:
    """The orders placed in one visit, oldest first (cancelled ones too)."""
    return _listed(LabOrder.objects.filter(appointment_id=appointment_id)).order_by("created_at")


def lab_order_get(*, order_id: uuid.UUID | str) -> LabOrder:
    order = (
        LabOrder.objects.select_related("patient", "ordering_doctor", "appointment")
        .prefetch_related(
            "lines__panel",
            "lines__test",
            Prefetch(
                "results",
                queryset=LabResult.objects.select_related("test", "line").prefetch_related(
                    "amendments", "test__ranges"
                ),
            ),
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound(_("There is no such lab order in this hospital."))
    return order


def lab_result_get(*, order: LabOrder, result_id: int) -> LabResult:
    result = (
        LabResult.objects.select_related("test", "order__patient")
        .prefetch_related("test__ranges")
        .filter(order=order, pk=result_id)
        .first()
    )
    if result is None:
        raise NotFound(_("There is no such result on this order."))
    return result


def lab_expected_range(*, order: LabOrder, result: LabResult) -> ReferenceRange | None:
    """The range a result of this order will be flagged against (shown while typing)."""
    on = timezone.localdate(order.collected_at) if order.collected_at else timezone.localdate()
    return reference_range_for(
        ranges=result.test.ranges.all(),
        sex=order.patient.sex,
        age_days=age_in_days(birth_date=order.patient.birth_date, on=on),
    )


def lab_orderable() -> tuple[list[LabPanel], list[LabTest]]:
    """What can be ordered: active panels (with their components) and active tests."""
    panels = list(
        LabPanel.objects.filter(is_active=True).prefetch_related(
            Prefetch("components", queryset=PanelTest.objects.select_related("test"))
        )
    )
    return panels, list(LabTest.objects.filter(is_active=True))


def lab_catalogue() -> tuple[list[LabPanel], list[LabTest]]:
    """The whole catalogue, offered or not, with ranges and components."""
    panels = list(
        LabPanel.objects.prefetch_related(
            Prefetch("components", queryset=PanelTest.objects.select_related("test"))
        )
    )
    tests = list(
        LabTest.objects.prefetch_related(
            Prefetch("ranges", queryset=ReferenceRange.objects.order_by("sex", "age_min_days"))
        )
    )
    return panels, tests


def lab_catalogue_item_get(*, kind: str, item_id: int) -> LabTest | LabPanel:
    model: type[LabTest] | type[LabPanel] = LabPanel if kind == "panel" else LabTest
    item = model.objects.filter(pk=item_id).first() if kind in ("test", "panel") else None
    if item is None:
        raise NotFound(_("There is no such test or panel in this catalogue."))
    return item


def lab_order_total(*, order: LabOrder) -> Decimal:
    return sum((line.price for line in order.lines.all()), Decimal(0))


def lab_history_entries(patient: Patient) -> list[history.HistoryEntry]:
    """The patient's lab orders for their history: what was ordered, where it stands,
    and how many results were out of range once approved."""
    orders = LabOrder.objects.filter(patient=patient).prefetch_related(
        "lines__panel", "lines__test"
    )
    entries = []
    for row in lab_order_rows(orders=orders):
        order = row.order
        tests = ", ".join(display_name(line, "description") for line in order.lines.all())
        # what was tested and what it found are clinical (the front desk reads that an
        # order exists and where it stands); the lab technician reads their orders
        status = str(order.get_status_display())
        if order.status == OrderStatus.APPROVED:
            detail = ngettext(
                "Approved; %(count)d result out of range.",
                "Approved; %(count)d results out of range.",
                row.abnormal_count,
            ) % {"count": row.abnormal_count}
        else:
            detail = status
        entries.append(
            history.HistoryEntry(
                when=order.approved_at or order.created_at,
                kind=_("Lab result") if order.status == OrderStatus.APPROVED else _("Lab order"),
                title=order.number,
                detail=f"{tests} · {detail}",
                url=row.url,
                clinical=True,
                public_detail=status,
                clinical_readers=frozenset({Role.LAB_TECHNICIAN}),
            )
        )
    return entries
