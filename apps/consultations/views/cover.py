"""The hospital's covering doctors: who, besides each consultation's own doctor, may
write in it. Kept by the hospital's administrators; every change is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.consultations.cover import (
    cover_get,
    cover_grant,
    cover_withdraw,
    covering_doctors,
    doctors_not_covering,
)
from apps.consultations.forms import CoverForm
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import action, form_action, found, posted

COVER_PAGE = "consultations/cover.html"


@require_http_methods(["GET", "POST"])
@roles_required()  # the hospital's administrators
@submitted_once
def cover_list(request: HospitalRequest) -> HttpResponse:
    form = CoverForm(data=posted(request), doctors=doctors_not_covering())
    if granted := form_action(
        form,
        lambda data: cover_grant(doctor=form.doctors[data["doctor"]], granted_by=request.user),
    ):
        messages.success(
            request,
            _("%(doctor)s may now write in every doctor's consultations.")
            % {"doctor": granted.result.doctor.full_name},
        )
        return redirect_to(request, reverse("consultations:cover"))
    context = {"form": form, "covers": covering_doctors()}
    return render(request, page_or_fragment(request, COVER_PAGE, "content"), context)


@require_POST
@roles_required()
@acted_once
def cover_withdraw_view(request: HospitalRequest, cover_id: int) -> HttpResponse:
    cover = found(cover_get, cover_id=cover_id)
    action(request, lambda: cover_withdraw(cover=cover, withdrawn_by=request.user))
    return redirect_to(request, reverse("consultations:cover"))
