from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.rules import is_hospital_admin
from apps.accounts.selectors import accounts_by_id
from apps.audit.selectors import clinical_events_of_patient
from apps.audit.services import record_opened
from apps.core.collation import az_order
from apps.core.htmx import page_or_fragment, redirect_to, shown_once_at
from apps.core.http import HospitalRequest
from apps.core.sorting import sorting_from
from apps.core.submissions import submitted_once
from apps.core.viewkit import Refused, form_action, found, paginate_uncounted, search_query
from apps.patients.forms import AllergyForm, PatientForm, RegistrationForm
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_history, patient_search
from apps.patients.services import LikelyDuplicates, patient_register, patient_update

PAGE_SIZE = 25
#: the list's sortable columns and what each sorts by (newest registrations first; names
#: in Azerbaijani alphabetical order)
SORT_COLUMNS = {
    "registered": ("created_at", "number"),
    "number": ("number",),
    "name": (az_order("last_name"), az_order("first_name"), "number"),
    "birth_date": ("birth_date", "number"),
}


#: who may register and edit patients; the module's other roles (accountants) only look
WRITERS = frozenset({Role.RECEPTIONIST, Role.NURSE, Role.DOCTOR})
#: who records allergies: the clinicians
ALLERGY_RECORDERS = frozenset({Role.NURSE, Role.DOCTOR})


@require_GET
def patient_list(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    sorting = sorting_from(request, SORT_COLUMNS, default="-registered")
    patients = patient_search(query=query).order_by(*sorting.order_by)
    # no count of all the matches: a search among many patients would pay for it on
    # every keystroke; "More" needs only the next row
    page = paginate_uncounted(request, patients, size=PAGE_SIZE)
    context = {
        "page": page,
        "query": query,
        "sort": sorting.key,
        "can_write": may_act_as(request.user, WRITERS),
    }
    return render(request, page_or_fragment(request, "patients/list.html", "results"), context)


@never_cache  # the response may carry a portal login's temporary password
@require_http_methods(["GET", "POST"])
@roles_required(*WRITERS)
@submitted_once  # a double submit creates once (apps/core/submissions.py)
def patient_register_view(request: HospitalRequest) -> HttpResponse:
    form = RegistrationForm(data=request.POST or None)
    context: dict[str, object] = {"form": form}
    outcome = form_action(
        form,
        lambda data: patient_register(
            hospital=request.hospital,
            details=form.details(),
            portal_account=data["portal_account"],
            confirmed_matches=data["confirm_duplicates"],
            registered_by=request.user,
        ),
        handles=LikelyDuplicates,
    )
    if isinstance(outcome, Refused):  # may be registered already: shown to confirm
        context["duplicates"] = outcome.error.matches
        context["duplicate_ids"] = ",".join(str(match.pk) for match in outcome.error.matches)
    elif outcome:
        registered = outcome.result
        detail = reverse("patients:detail", args=[registered.patient.pk])
        if registered.account is None:
            messages.success(
                request, _("Registered %(patient)s.") % {"patient": registered.patient}
            )
            return redirect_to(request, detail)
        template = page_or_fragment(request, "patients/registered.html", "result")
        return shown_once_at(request, render(request, template, {"registered": registered}), detail)
    return render(request, page_or_fragment(request, "patients/register.html", "form"), context)


def detail_context(request: HospitalRequest, patient: Patient, **shown: Any) -> dict[str, Any]:
    accounts = accounts_by_id(
        hospital=request.hospital, user_ids=[patient.user_id, patient.registered_by_id]
    )
    return {
        "patient": patient,
        "portal_account": accounts.get(patient.user_id) if patient.user_id else None,
        "registered_by": accounts.get(patient.registered_by_id)
        if patient.registered_by_id
        else None,
        "history": patient_history(patient=patient, hospital=request.hospital, user=request.user),
        "can_write": may_act_as(request.user, WRITERS),
        "can_record_allergies": may_act_as(request.user, ALLERGY_RECORDERS),
        "allergy_form": AllergyForm(),
        # who opened or changed this record: administrators only (an audit, not a chart)
        "record_events": clinical_events_of_patient(patient_id=patient.pk)
        if is_hospital_admin(request.user)
        else None,
        **shown,
    }


@require_GET
def patient_detail(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = found(patient_get, patient_id=patient_id)
    # the page is also the record's print: one event answers "who looked", either way
    record_opened(
        action="patient.viewed", entity="patient", entity_id=patient.pk, entity_label=patient.number
    )
    context = detail_context(request, patient)
    return render(request, page_or_fragment(request, "patients/detail.html", "content"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*WRITERS)
def patient_edit(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = found(patient_get, patient_id=patient_id)
    form = PatientForm.for_patient(patient, data=request.POST or None)
    if form_action(form, lambda data: patient_update(patient=patient, details=form.details())):
        messages.success(request, _("Saved the details of %(patient)s.") % {"patient": patient})
        return redirect_to(request, reverse("patients:detail", args=[patient.pk]))
    context = {"form": form, "patient": patient}
    return render(request, page_or_fragment(request, "patients/edit.html", "form"), context)
