"""Discharging a patient and the printable discharge summary."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.admissions import selectors, services
from apps.admissions.forms import DischargeForm
from apps.admissions.models import Admission, AdmissionStatus
from apps.admissions.views.common import admission_or_404
from apps.admissions.views.stay import stay_context
from apps.audit.services import record_opened
from apps.consultations.selectors import diagnoses_of_consultation
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import form_action


def _summary_initial(admission: Admission) -> dict[str, str]:
    """The discharge summary starts from the admitting consultation's diagnoses and the
    medicines on the ward chart; the doctor edits both."""
    diagnoses = (
        [str(d) for d in diagnoses_of_consultation(consultation_id=admission.consultation_id)]
        if admission.consultation_id
        else []
    )
    medicines = [
        f"{i.medicine} {i.dose}, {i.frequency}"
        for i in selectors.medication_items(admission=admission)
    ]
    return {"diagnoses": "\n".join(diagnoses), "medicines": "\n".join(medicines)}


@require_http_methods(["GET", "POST"])
@roles_required(Role.DOCTOR)
@submitted_once
def discharge(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    if not admission.is_active:
        messages.error(request, str(services.NO_LONGER_ACTIVE))
        return redirect_to(request, reverse("admissions:detail", args=[admission.pk]))
    form = DischargeForm(data=request.POST or None, initial=_summary_initial(admission))
    if form_action(
        form,
        lambda data: services.admission_discharge(
            admission=admission,
            summary=services.DischargeSummary(**data),
            discharged_by=request.user,
        ),
    ):
        messages.success(request, _("The patient is discharged; the bed goes to cleaning."))
        return redirect_to(request, reverse("admissions:summary", args=[admission.pk]))
    context = {
        "admission": admission,
        "patient": admission.patient,
        "form": form,
        "blockers": services.admission_discharge_blockers(admission=admission),
    }
    return render(request, page_or_fragment(request, "admissions/discharge.html", "form"), context)


@require_GET
def summary(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    if admission.status != AdmissionStatus.DISCHARGED:
        raise Http404(_("This admission has no discharge summary yet."))
    record_opened(
        action="admission.summary_printed",
        entity="admission",
        entity_id=admission.pk,
        entity_label=admission.number,
        patient=admission.patient,
    )
    context = stay_context(request, admission)
    return render(request, "admissions/summary.html", context)
