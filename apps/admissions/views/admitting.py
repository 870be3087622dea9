"""Asking for a bed (a doctor puts a patient on the list to admit) and admitting to
one: directly, from a consultation or from the list."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.admissions import selectors, services
from apps.admissions.forms import AdmissionRequestForm, AdmitForm
from apps.admissions.models import AdmissionRequest, Bed
from apps.admissions.views.common import ADMITTERS
from apps.consultations.models import Consultation
from apps.consultations.selectors import consultation_get, diagnoses_of_consultation
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import action, form_action, found
from apps.patients.models import Patient


def _consultation_from(request: HospitalRequest) -> Consultation | None:
    consultation_id = request.GET.get("consultation") or request.POST.get("consultation")
    if not consultation_id:
        return None
    try:
        consultation_id = str(uuid.UUID(consultation_id))
    except ValueError:
        raise Http404(_("There is no such consultation in this hospital.")) from None
    return found(consultation_get, consultation_id=consultation_id)


def _diagnoses_text(consultation: Consultation) -> str:
    return "\n".join(
        f"{d.code} {d.title}" for d in diagnoses_of_consultation(consultation_id=consultation.pk)
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.DOCTOR)
@submitted_once
def request_new(request: HospitalRequest) -> HttpResponse:
    """Put a patient on the list to admit; from a consultation ("Admit" on its page)
    with its patient, doctor and diagnoses filled in."""
    consultation = _consultation_from(request)
    initial = {}
    if consultation is not None:
        diagnoses = _diagnoses_text(consultation)
        initial = {"working_diagnosis": diagnoses, "reason": diagnoses.split("\n")[0]}
    form = AdmissionRequestForm(
        data=request.POST or None, initial=initial, from_consultation=consultation is not None
    )
    if form_action(
        form,
        lambda data: services.admission_request_create(
            patient=consultation.patient if consultation else data["patient"],
            reason=data["reason"],
            working_diagnosis=data["working_diagnosis"],
            ward=data["ward"],
            consultation=consultation,
            requested_by=request.user,
        ),
    ):
        messages.success(request, _("The patient is on the list to admit."))
        return redirect_to(request, reverse("admissions:to_admit"))
    context = {"form": form, "consultation": consultation, "tab": "to_admit"}
    return render(request, page_or_fragment(request, "admissions/request.html", "form"), context)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def request_cancel(request: HospitalRequest, request_id: uuid.UUID) -> HttpResponse:
    waiting = found(selectors.admission_request_get, request_id=request_id)
    action(request, lambda: services.admission_request_cancel(request=waiting))
    return redirect_to(request, reverse("admissions:to_admit"))


@require_http_methods(["GET", "POST"])
@roles_required(*ADMITTERS)
@submitted_once
def admit(request: HospitalRequest) -> HttpResponse:
    """Admit to a vacant bed: directly (patient number), from a consultation
    (``?consultation=``) or from the list to admit (``?request=``)."""
    waiting = _waiting_from(request)
    consultation = _consultation_from(request) or (waiting.consultation if waiting else None)
    patient = waiting.patient if waiting else consultation.patient if consultation else None
    beds = selectors.vacant_beds()
    form = AdmitForm(
        data=request.POST or None,
        initial=_admit_initial(request, waiting, consultation, patient, beds),
        beds=beds,
    )
    admitted = form_action(
        form,
        lambda data: services.admission_admit(
            hospital=request.hospital,
            patient=data["patient"],
            bed=data["bed"],
            reason=data["reason"],
            doctor=data["doctor"],
            consultation=consultation,
            request=waiting,
            expected_discharge_on=data["expected_discharge_on"],
            admitted_by=request.user,
        ),
    )
    if admitted:
        admission = admitted.result
        messages.success(request, _("Admitted as %(number)s.") % {"number": admission.number})
        return redirect_to(request, reverse("admissions:detail", args=[admission.pk]))
    context = {
        "form": form,
        "waiting": waiting,
        "consultation": consultation,
        "patient": patient,
        "tab": "admit",
    }
    return render(request, page_or_fragment(request, "admissions/admit.html", "form"), context)


def _waiting_from(request: HospitalRequest) -> AdmissionRequest | None:
    """The request on the list to admit that this admission answers (``?request=``)."""
    request_id = request.GET.get("request") or request.POST.get("request")
    if not request_id:
        return None
    return found(selectors.admission_request_get, request_id=request_id)


def _admit_initial(
    request: HospitalRequest,
    waiting: AdmissionRequest | None,
    consultation: Consultation | None,
    patient: Patient | None,
    beds: QuerySet[Bed],
) -> dict[str, Any]:
    """The admission form filled from what it answers: the patient, the requested
    reason, the consulting doctor, and a vacant bed in the requested ward."""
    initial: dict[str, Any] = {}
    if patient is not None:
        initial["patient"] = patient.number
    if waiting is not None:
        initial["reason"] = waiting.reason
    if consultation is not None:
        initial["doctor"] = consultation.doctor_id
    if waiting is not None and waiting.ward_id is not None and request.method == "GET":
        initial["bed"] = next((b.pk for b in beds if b.room.ward_id == waiting.ward_id), None)
    return initial
