"""The hospital's booking rules (hospital administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.access import roles_required
from apps.appointments import selectors, services
from apps.appointments.forms import SettingsForm
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.viewkit import form_action


@require_http_methods(["GET", "POST"])
@roles_required()
def settings_view(request: HospitalRequest) -> HttpResponse:
    current = selectors.appointment_settings_get()
    form = SettingsForm(request.POST or None, initial={"conflict_policy": current.conflict_policy})
    update = services.appointment_settings_update
    if form_action(form, lambda data: update(conflict_policy=data["conflict_policy"])):
        messages.success(request, _("The booking rules are saved."))
        return redirect_to(request, reverse("appointments:settings"))
    status = 400 if form.is_bound else 200
    template = page_or_fragment(request, "appointments/settings.html", "form")
    return render(request, template, {"form": form}, status=status)
