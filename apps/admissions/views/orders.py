"""The doctor's medication orders on an admission: ordering from the formulary (with
the prescribing checks), carrying the admitting consultation's prescription over,
holding, resuming and stopping an order."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.selectors import accounts_by_id
from apps.admissions import orders as order_services
from apps.admissions import selectors
from apps.admissions.forms import CarryOverForm, MedicationOrderForm, ReasonForm
from apps.admissions.models import Admission, MedicationOrder, OrderHold
from apps.admissions.views.common import WARD_STAFF, admission_or_404
from apps.consultations.formulary import formulary
from apps.consultations.prescribing import NeedsOverride, SafetyWarning
from apps.consultations.views.prescription import PICKER_SIZE, medicine_choices
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import Refused, action, form_action, found


@dataclass(frozen=True)
class OrderRow:
    order: MedicationOrder
    hold: OrderHold | None
    #: who ordered, held and stopped it (their names; "" when unknown)
    ordered_by: str
    held_by: str
    stopped_by: str


def _name(people: dict[Any, Any], user_id: uuid.UUID | None) -> str:
    user = people.get(user_id) if user_id else None
    return user.get_full_name() if user is not None else ""


def _orders_page(
    request: HospitalRequest,
    admission: Admission,
    *,
    form: MedicationOrderForm | None = None,
    warnings: list[SafetyWarning] | None = None,
) -> HttpResponse:
    admission.refresh_from_db()
    orders = selectors.orders_of(admission=admission)
    people = accounts_by_id(
        hospital=request.hospital,
        user_ids=[o.ordered_by_id for o in orders]
        + [o.stopped_by_id for o in orders if o.stopped_by_id]
        + [h.held_by_id for o in orders for h in o.holds.all()],
    )
    form = form or MedicationOrderForm()
    context: dict[str, Any] = {
        "admission": admission,
        "patient": admission.patient,
        "orders": [
            OrderRow(
                o,
                hold := selectors.current_hold(o),
                _name(people, o.ordered_by_id),
                _name(people, hold.held_by_id if hold else None),
                _name(people, o.stopped_by_id),
            )
            for o in orders
        ],
        "form": form,
        "medicine_choices": medicine_choices(form) if form.is_bound else [],
        "warnings": warnings or [],
        "candidates": selectors.carry_over_candidates(admission=admission),
        "may_order": admission.is_active and may_act_as(request.user, frozenset({Role.DOCTOR})),
        "reason_form": ReasonForm(),
    }
    return render(request, page_or_fragment(request, "admissions/orders.html", "orders"), context)


@require_GET
@roles_required(*WARD_STAFF)
def orders(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    return _orders_page(request, admission_or_404(admission_id))


@require_GET
@roles_required(Role.DOCTOR)
def order_medicine_search(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    """The order form's picker: formulary medicines whose names hold every word typed."""
    admission_or_404(admission_id)
    query = request.GET.get("medicine", "").strip()[:100]
    context = {
        "query": query,
        "medicines": formulary().search(query=query, limit=PICKER_SIZE) if query else [],
    }
    return render(request, "consultations/medicine_search.html#results", context)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def order_add(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = MedicationOrderForm(data=request.POST)
    done = form_action(
        form,
        lambda data: order_services.medication_order_create(
            admission=admission,
            line=form.line(),
            starts_at=form.first_dose_at,
            units_per_dose=data["units_per_dose"],
            ordered_by=request.user,
        ),
        handles=NeedsOverride,
    )
    if isinstance(done, Refused):
        form.add_error("override_reason", done.error.message)
        return _orders_page(request, admission, form=form, warnings=done.error.warnings)
    if done:
        messages.success(request, _("Ordered: %(medicine)s.") % {"medicine": done.result.medicine})
        return redirect_to(request, reverse("admissions:orders", args=[admission.pk]))
    return _orders_page(request, admission, form=form)


@require_http_methods(["GET", "POST"])
@roles_required(Role.DOCTOR)
@submitted_once
def carry_over(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    """The admitting consultation's prescription as orders, with one confirmation."""
    admission = admission_or_404(admission_id)
    candidates = selectors.carry_over_candidates(admission=admission)
    form = CarryOverForm(data=request.POST or None)
    if candidates and form_action(
        form,
        lambda data: order_services.medication_orders_carry_over(
            admission=admission,
            items=candidates,
            starts_at=form.first_dose_at,
            ordered_by=request.user,
        ),
    ):
        messages.success(request, _("The consultation's prescription is carried over."))
        return redirect_to(request, reverse("admissions:orders", args=[admission.pk]))
    context = {
        "admission": admission,
        "patient": admission.patient,
        "candidates": candidates,
        "form": form,
    }
    return render(request, "admissions/carry_over.html", context)


def _order_act(
    request: HospitalRequest,
    admission_id: uuid.UUID,
    order_id: uuid.UUID,
    act: Callable[[MedicationOrder], object] | None,
) -> HttpResponse:
    """A button on one order (``act`` None: refused already, said in ``messages``)."""
    admission = admission_or_404(admission_id)
    order = found(selectors.order_get, admission=admission, order_id=order_id)
    if act is not None:
        action(request, lambda: act(order))
    return redirect_to(request, reverse("admissions:orders", args=[admission.pk]))


def _reason(request: HospitalRequest) -> str | None:
    """The reason posted with a hold or a stop; None (said in ``messages``) when it is
    not one a form accepts (too long, a NUL character)."""
    form = ReasonForm(data={"reason": request.POST.get("reason", "")})
    if form.is_valid():
        return str(form.cleaned_data["reason"])
    if "reason" in form.errors and request.POST.get("reason", "").strip():
        messages.error(request, " ".join(str(e) for e in form.errors["reason"]))
        return None
    return ""  # empty: the service says a reason is needed


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def order_hold(
    request: HospitalRequest, admission_id: uuid.UUID, order_id: uuid.UUID
) -> HttpResponse:
    reason = _reason(request)
    return _order_act(
        request,
        admission_id,
        order_id,
        None
        if reason is None
        else lambda order: order_services.medication_order_hold(
            order=order, reason=reason, held_by=request.user
        ),
    )


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def order_resume(
    request: HospitalRequest, admission_id: uuid.UUID, order_id: uuid.UUID
) -> HttpResponse:
    return _order_act(
        request,
        admission_id,
        order_id,
        lambda order: order_services.medication_order_resume(order=order, resumed_by=request.user),
    )


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def order_stop(
    request: HospitalRequest, admission_id: uuid.UUID, order_id: uuid.UUID
) -> HttpResponse:
    reason = _reason(request)
    return _order_act(
        request,
        admission_id,
        order_id,
        None
        if reason is None
        else lambda order: order_services.medication_order_stop(
            order=order, reason=reason, stopped_by=request.user
        ),
    )
