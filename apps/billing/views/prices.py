"""The price list: everyone who bills reads it; accountants add and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.access import may_act_as, roles_required
from apps.billing import selectors, services
from apps.billing.forms import BillingSettingsForm, ServiceForm
from apps.billing.services.invoices import billing_settings_get
from apps.billing.views import ACCOUNTS, CASHIERS
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.names import display_name
from apps.core.viewkit import form_action, found, posted
from apps.doctors.selectors import doctor_list


@require_http_methods(["GET", "POST"])
@roles_required(*CASHIERS)
def service_list(request: HospitalRequest) -> HttpResponse:
    """The price list; accountants add to it here."""
    can_edit = may_act_as(request.user, ACCOUNTS)
    if request.method == "POST" and not can_edit:
        return render(request, "accounts/forbidden.html", status=403)
    form = ServiceForm(data=posted(request))
    if created := form_action(form, lambda data: services.service_create(**data)):
        messages.success(
            request, _("Added %(service)s.") % {"service": display_name(created.result)}
        )
        return redirect_to(request, reverse("billing:services"))
    context = {
        "services": selectors.service_list(),
        # consultations are charged at each doctor's own fee (set on the doctor's page)
        "doctors": doctor_list().filter(is_active=True),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, page_or_fragment(request, "billing/services.html", "form"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*ACCOUNTS)
def service_edit(request: HospitalRequest, service_id: int) -> HttpResponse:
    service = found(selectors.service_get, service_id=service_id)
    form = ServiceForm.for_service(service, data=posted(request))
    if form_action(form, lambda data: services.service_update(service=service, **data)):
        messages.success(request, _("Saved %(service)s.") % {"service": display_name(service)})
        return redirect_to(request, reverse("billing:services"))
    context = {"service": service, "form": form}
    return render(request, page_or_fragment(request, "billing/service_edit.html", "form"), context)


@require_http_methods(["GET", "POST"])
@roles_required()  # hospital administrators
def billing_settings(request: HospitalRequest) -> HttpResponse:
    """The hospital's billing rules: how large a discount the front desk gives alone."""
    current = billing_settings_get()
    form = BillingSettingsForm(
        data=posted(request), initial={"discount_limit_percent": current.discount_limit_percent}
    )
    if form_action(form, lambda data: services.billing_settings_update(**data)):
        messages.success(request, _("Billing settings saved."))
        return redirect_to(request, reverse("billing:settings"))
    context = {"form": form}
    return render(request, page_or_fragment(request, "billing/settings.html", "form"), context)
