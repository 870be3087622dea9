"""One admission's page: the stay (beds so far), transfer to another bed, the planned
discharge day, and cancelling an admission made by mistake."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.selectors import accounts_by_id
from apps.admissions import selectors, services
from apps.admissions.forms import CancelForm, PlanForm, TransferForm
from apps.admissions.models import Admission
from apps.admissions.views.common import (
    ADMITTERS,
    WARD_STAFF,
    admission_or_404,
    ended_stay_refused,
)
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import form_action, section_or_redirect


def stay_context(request: HospitalRequest, admission: Admission, **forms: Any) -> dict[str, Any]:
    admission.refresh_from_db()
    stays = list(selectors.occupancies_of(admission=admission))
    users = accounts_by_id(
        hospital=request.hospital,
        user_ids=[admission.admitted_by_id, admission.discharged_by_id],
    )
    return {
        "admission": admission,
        "patient": admission.patient,
        "stays": stays,
        "current": next((s for s in stays if s.ended_at is None), None),
        "admitted_by": users.get(admission.admitted_by_id) if admission.admitted_by_id else None,
        "discharged_by": users.get(admission.discharged_by_id)
        if admission.discharged_by_id
        else None,
        "transfer_form": forms.get("transfer_form") or TransferForm(beds=selectors.vacant_beds()),
        "plan_form": forms.get("plan_form")
        or PlanForm(initial={"expected_discharge_on": admission.expected_discharge_on}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "may_transfer": admission.is_active and may_act_as(request.user, frozenset(WARD_STAFF)),
        "may_discharge": admission.is_active and may_act_as(request.user, frozenset({Role.DOCTOR})),
        "may_cancel": admission.is_active
        and may_act_as(request.user, frozenset(ADMITTERS))
        and timezone.localdate(admission.admitted_at) == timezone.localdate(),
        "may_nurse": may_act_as(request.user, frozenset(WARD_STAFF)),
    }


def _stay_page(request: HospitalRequest, admission: Admission, **forms: Any) -> HttpResponse:
    context = stay_context(request, admission, **forms)
    return render(request, page_or_fragment(request, "admissions/detail.html", "stay"), context)


def _stay_section(
    request: HospitalRequest, admission: Admission, done: object, **forms: Any
) -> HttpResponse:
    """After a post on the stay: done, the section drawn again with empty forms (htmx)
    or the page again; not done, the section with the posted form and its errors."""
    url = reverse("admissions:detail", args=[admission.pk])
    if done:
        return section_or_redirect(request, lambda: _stay_page(request, admission), url)
    refused = ended_stay_refused(request, admission, lambda: _stay_page(request, admission), url)
    return refused or _stay_page(request, admission, **forms)


@require_GET
def detail(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    return _stay_page(request, admission_or_404(admission_id))


@require_POST
@roles_required(*WARD_STAFF)
@acted_once
def transfer(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = TransferForm(data=request.POST, beds=selectors.vacant_beds())
    done = form_action(
        form,
        lambda data: services.admission_transfer(
            admission=admission, bed=data["bed"], transferred_by=request.user
        ),
    )
    if done:  # said on the page redirected to, or out of band after an htmx swap
        messages.success(request, _("The patient is moved to the new bed."))
    return _stay_section(request, admission, done, transfer_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def plan(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = PlanForm(data=request.POST)
    done = form_action(
        form,
        lambda data: services.admission_plan_discharge(
            admission=admission, on=data["expected_discharge_on"]
        ),
    )
    return _stay_section(request, admission, done, plan_form=form)


@require_POST
@roles_required(*ADMITTERS)
@acted_once
def cancel(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = CancelForm(data=request.POST)
    done = form_action(
        form,
        lambda data: services.admission_cancel(
            admission=admission, reason=data["reason"], cancelled_by=request.user
        ),
    )
    return _stay_section(request, admission, done, cancel_form=form)
